// Adding voters: paste or upload a CSV and see what will be added (and what is skipped, by line)
// before sending it; or add one voter by hand. The server's own duplicate report (refs already on
// the roll) is shown after the import.
import { useMemo, useState, type FormEvent } from 'react';
import { rollApi, type RollImport as ImportResult, type RollVoter } from '../../../admin-api';
import { errorText } from '../../../api';
import { FormField } from '../../../components/FormField';
import { ErrorNotice } from '../../../components/Notice';
import { t } from '../../../i18n';
import { parseRoll } from './roll-csv';

const tr = t.admin.roll;

/** How many skipped lines to list before "and N more". */
const LISTED = 20;

export function RollImport({
  electionId,
  onChanged,
}: {
  electionId: string;
  onChanged: () => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const preview = useMemo(() => (text.trim() ? parseRoll(text) : null), [text]);

  async function readFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    setResult(null);
  }

  async function send(voters: RollVoter[]) {
    setBusy(true);
    setError(null);
    try {
      const res = await rollApi.importVoters(electionId, voters);
      setResult(res);
      onChanged();
      return true;
    } catch (err) {
      setError(errorText(err, t.errors));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const skipped = preview
    ? [
        ...preview.duplicates.map((d) => ({
          line: d.line,
          text: tr.duplicateLine(d.ref, d.line, d.firstLine),
        })),
        ...preview.problems.map((p) => ({
          line: p.line,
          text: tr.problemLine(p.line, tr.problems[p.problem]),
        })),
      ].sort((a, b) => a.line - b.line)
    : [];

  return (
    <div className="roll-import">
      <div className="card">
        <h4>{tr.importTitle}</h4>
        <p className="hint">{tr.importHint}</p>
        <FormField id="roll-csv" label={tr.paste}>
          {(control) => (
            <textarea
              {...control}
              rows={5}
              value={text}
              spellCheck={false}
              className="mono"
              placeholder={'ref,name,email\nS-1001,Ana Reyes,ana@school.edu'}
              onChange={(e) => {
                setText(e.target.value);
                setResult(null);
              }}
            />
          )}
        </FormField>
        <FormField id="roll-file" label={tr.upload}>
          {(control) => (
            <input
              {...control}
              type="file"
              accept=".csv,text/csv,text/plain"
              onChange={(e) => {
                void readFile(e.target.files?.[0]);
                // Choosing the same file again (fixed in a spreadsheet meanwhile) must read it again.
                e.target.value = '';
              }}
            />
          )}
        </FormField>
        {preview && (
          <div className="roll-preview" data-testid="roll-preview" aria-live="polite">
            <p>
              <strong>{tr.ready(preview.voters.length)}</strong>
            </p>
            {preview.voters.length > 0 && (
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">{tr.previewCaption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tr.columns.ref}</th>
                      <th scope="col">{tr.columns.name}</th>
                      <th scope="col">{tr.columns.email}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.voters.slice(0, 5).map((v) => (
                      <tr key={v.ref}>
                        <td className="mono">{v.ref}</td>
                        <td>{v.name}</td>
                        <td>{v.email ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {preview.voters.length > 5 && (
                  <p className="hint">{tr.andMore(preview.voters.length - 5)}</p>
                )}
              </div>
            )}
            {skipped.length > 0 && (
              <div className="notice notice-warn" data-testid="roll-skipped">
                <p>
                  <strong>{tr.skipped(skipped.length)}</strong>
                </p>
                <ul>
                  {skipped.slice(0, LISTED).map((s) => (
                    <li key={s.line}>{s.text}</li>
                  ))}
                </ul>
                {skipped.length > LISTED && <p>{tr.andMore(skipped.length - LISTED)}</p>}
              </div>
            )}
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || preview.voters.length === 0}
              onClick={() =>
                void send(preview.voters).then((ok) => {
                  if (ok) setText('');
                })
              }
            >
              {busy ? tr.adding : tr.addVoters(preview.voters.length)}
            </button>
          </div>
        )}
        {error && <ErrorNotice>{error}</ErrorNotice>}
        {result && <ImportReport result={result} />}
      </div>
      <AddOne disabled={busy} onAdd={(voter) => send([voter])} />
    </div>
  );
}

function ImportReport({ result }: { result: ImportResult }) {
  return (
    <div
      className={`notice ${result.duplicates.length ? 'notice-warn' : 'notice-success'}`}
      role="status"
      data-testid="roll-import-result"
    >
      <p>
        <strong>{tr.added(result.added)}</strong>
      </p>
      {result.duplicates.length > 0 && (
        <>
          <p>{tr.alreadyOnRoll(result.duplicates.length)}</p>
          <p className="mono">
            {result.duplicates.slice(0, 50).join(', ')}
            {result.duplicates.length > 50 && ` … ${tr.andMore(result.duplicates.length - 50)}`}
          </p>
        </>
      )}
    </div>
  );
}

function AddOne({
  disabled,
  onAdd,
}: {
  disabled: boolean;
  onAdd: (voter: RollVoter) => Promise<boolean>;
}) {
  const [ref, setRef] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const voter = {
      ref: ref.trim(),
      name: name.trim(),
      ...(email.trim() && { email: email.trim() }),
    };
    if (await onAdd(voter)) {
      setRef('');
      setName('');
      setEmail('');
    }
  }
  return (
    <form
      className="card roll-add"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="roll-add-title"
    >
      <h4 id="roll-add-title">{tr.addOneTitle}</h4>
      <div className="grid-3">
        <FormField id="roll-ref" label={tr.columns.ref}>
          {(c) => <input {...c} value={ref} onChange={(e) => setRef(e.target.value)} required />}
        </FormField>
        <FormField id="roll-name" label={tr.columns.name}>
          {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
        </FormField>
        <FormField id="roll-email" label={tr.emailOptional}>
          {(c) => (
            <input {...c} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </FormField>
      </div>
      <button type="submit" className="btn btn-secondary" disabled={disabled}>
        {tr.add}
      </button>
    </form>
  );
}
