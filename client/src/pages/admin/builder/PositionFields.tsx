// One position in the builder: its title and seat counts, and its candidates as a list editor.
import { t } from '../../../i18n';
import { ListError, TextField, type Errors } from './BuilderFields';
import { blankCandidate, type CandidateForm, type PositionForm } from './form';
import { ListEditor } from './ListEditor';

const tb = t.admin.builder;

interface Props {
  position: PositionForm;
  /** Its zod path, `positions.<index>`. */
  path: string;
  errors: Errors;
  /** `reshaped`: the candidate list changed shape (see ListEditor's onReshape). */
  onChange: (change: (position: PositionForm) => PositionForm, reshaped?: boolean) => void;
}

export function PositionFields({ position, path, errors, onChange }: Props) {
  const setCandidate = (index: number, change: (c: CandidateForm) => CandidateForm) =>
    onChange((p) => ({
      ...p,
      candidates: p.candidates.map((c, i) => (i === index ? change(c) : c)),
    }));
  return (
    <>
      <TextField
        label={tb.positionTitle}
        path={`${path}.title`}
        value={position.title}
        errors={errors}
        required
        onChange={(v) => onChange((p) => ({ ...p, title: v }))}
      />
      <div className="grid-2">
        <TextField
          label={tb.maxSelections}
          path={`${path}.maxSelections`}
          type="number"
          value={position.maxSelections}
          errors={errors}
          onChange={(v) => onChange((p) => ({ ...p, maxSelections: v }))}
        />
        <TextField
          label={tb.winners}
          path={`${path}.winners`}
          type="number"
          value={position.winners}
          errors={errors}
          onChange={(v) => onChange((p) => ({ ...p, winners: v }))}
        />
      </div>
      <label className="check">
        <input
          type="checkbox"
          data-testid="allow-abstain"
          checked={position.allowAbstain}
          onChange={(e) => {
            const allowAbstain = e.target.checked;
            onChange((p) => ({ ...p, allowAbstain }));
          }}
        />
        {tb.allowAbstain}
      </label>
      <h5>{tb.candidates}</h5>
      <ListError path={`${path}.candidates`} errors={errors} />
      <ListEditor
        items={position.candidates}
        onReshape={(reshape) =>
          onChange((p) => ({ ...p, candidates: reshape(p.candidates) }), true)
        }
        blank={blankCandidate}
        addLabel={tb.addCandidate}
        heading={(ci) => <span className="muted">{tb.candidate(ci + 1)}</span>}
        nameOf={(c, ci) => c.name.trim() || tb.candidate(ci + 1)}
        listClassName="builder-candidates"
        itemClassName="builder-candidate"
        itemTestId="builder-candidate"
      >
        {(c, ci) => {
          const cPath = `${path}.candidates.${ci}`;
          return (
            <>
              <div className="grid-2">
                <TextField
                  label={tb.candidateName}
                  path={`${cPath}.name`}
                  value={c.name}
                  errors={errors}
                  required
                  onChange={(v) => setCandidate(ci, (y) => ({ ...y, name: v }))}
                />
                <TextField
                  label={tb.photoUrl}
                  path={`${cPath}.photoUrl`}
                  type="url"
                  value={c.photoUrl}
                  errors={errors}
                  onChange={(v) => setCandidate(ci, (y) => ({ ...y, photoUrl: v }))}
                />
              </div>
              <TextField
                label={tb.candidateDescription}
                path={`${cPath}.description`}
                value={c.description}
                errors={errors}
                onChange={(v) => setCandidate(ci, (y) => ({ ...y, description: v }))}
              />
            </>
          );
        }}
      </ListEditor>
    </>
  );
}
