// What an admin can do to one election from its console, by status: open, schedule or close; edit
// a draft or a scheduled election (it stays scheduled), or unschedule it; duplicate; delete a draft or a closed
// election, with the results export offered first for a closed one.
import { useState } from 'react';
import type { Election, ElectionStatus } from '@tallyboard/shared';
import { electionAdminApi } from '../../../admin-api';
import { api } from '../../../api';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { t } from '../../../i18n';

const td = t.admin.detail;

interface Props {
  election: Election;
  status: ElectionStatus;
  opensAt: string | null;
  busy: boolean;
  /** Runs a change, then reloads; `after` runs once it succeeded. */
  act: (fn: () => Promise<unknown>, after?: () => void) => Promise<void>;
  onEdit: () => void;
  onBack: () => void;
  onOpenOther: (id: string) => void;
}

export function ElectionActions(props: Props) {
  const { election, status, opensAt, busy, act, onEdit, onBack, onOpenOther } = props;
  const id = election.id;
  const [deleting, setDeleting] = useState(false);
  return (
    <div className="actions" role="group" aria-label={t.admin.columns.actions}>
      {(status === 'draft' || status === 'scheduled') && (
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void act(() => api.openElection(id))}
        >
          {td.openNow}
        </button>
      )}
      {status === 'draft' && opensAt && Date.parse(opensAt) > Date.now() && (
        <button
          type="button"
          className="btn btn-secondary"
          disabled={busy}
          onClick={() => void act(() => api.scheduleElection(id))}
        >
          {td.schedule}
        </button>
      )}
      {(status === 'open' || status === 'scheduled') && (
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(td.confirmClose)) void act(() => api.closeElection(id));
          }}
        >
          {td.closeNow}
        </button>
      )}
      {(status === 'draft' || status === 'scheduled') && (
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={onEdit}>
          {td.edit}
        </button>
      )}
      {status === 'scheduled' && (
        <button
          type="button"
          className="btn btn-secondary"
          disabled={busy}
          onClick={() => {
            if (window.confirm(td.confirmUnschedule))
              void act(() => electionAdminApi.unschedule(id));
          }}
        >
          {td.unschedule}
        </button>
      )}
      <a className="btn btn-secondary" href={`/board/${id}`} target="_blank" rel="noreferrer">
        {td.openBoard}
      </a>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={busy}
        onClick={() => {
          let copy: Election | null = null;
          void act(
            async () => {
              copy = await electionAdminApi.duplicate(id);
            },
            () => {
              if (copy) onOpenOther(copy.id);
            },
          );
        }}
      >
        {td.duplicate}
      </button>
      {(status === 'draft' || status === 'closed') && (
        <button
          type="button"
          className="btn btn-link danger"
          disabled={busy}
          onClick={() => setDeleting(true)}
        >
          {td.delete}
        </button>
      )}
      {deleting && (
        <ConfirmDialog
          title={td.deleteTitle(election.title)}
          confirmLabel={td.deleteConfirm}
          onCancel={() => setDeleting(false)}
          onConfirm={() => {
            setDeleting(false);
            void act(() => api.deleteElection(id), onBack);
          }}
        >
          <p>{status === 'closed' ? td.deleteLeadClosed : td.deleteLeadDraft}</p>
          {status === 'closed' && (
            <div className="actions">
              <a className="btn btn-primary" href={api.exportCsvUrl(id)} download>
                {td.exportCsv}
              </a>
              <a className="btn btn-secondary" href={api.exportJsonUrl(id)} download>
                {td.exportJson}
              </a>
            </div>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
