// What the ballot page shows beside the results, in order of precedence: the receipt once voted,
// why this visitor cannot vote (already did, not eligible, not open), a sign-in, or the ballot.
import type { Election, ElectionStatus, Selections, User, VoterStanding } from '@tallyboard/shared';
import { AuthForm } from '../../components/AuthForm';
import { Ballot } from '../../components/Ballot';
import { InfoNotice, Loading } from '../../components/Notice';
import { ReceiptCard } from '../../components/ReceiptCard';
import { t } from '../../i18n';
import type { StoredReceipt } from '../../storage';

interface Props {
  election: Election;
  /** The live status, which may have moved on since the election was fetched. */
  status: ElectionStatus;
  receipt: StoredReceipt | null;
  justCast: boolean;
  alreadyVoted: boolean;
  standing: VoterStanding | null;
  user: User | null | undefined;
  onSignedIn: () => void;
  onSignOut: () => void;
  onSubmit: (selections: Selections) => Promise<void>;
}

export function VotePanel(props: Props) {
  const { election, status, receipt, standing, user } = props;
  if (receipt) return <ReceiptCard receipt={receipt} focusOnShow={props.justCast} />;
  if (props.alreadyVoted || standing?.voted) {
    return (
      <div data-testid="you-have-voted">
        <InfoNotice>{standing?.voted ? t.vote.youHaveVoted : t.vote.alreadyVoted}</InfoNotice>
      </div>
    );
  }
  if (standing?.reason === 'not_on_allowlist' || standing?.reason === 'not_on_roll') {
    return (
      <div data-testid="not-eligible">
        <InfoNotice>
          {election.access === 'roll' ? t.vote.notOnRoll : t.vote.notOnAllowlist}
        </InfoNotice>
      </div>
    );
  }
  if (status === 'draft') return <InfoNotice>{t.vote.draft}</InfoNotice>;
  if (status === 'scheduled') return <InfoNotice>{t.vote.notOpenYet}</InfoNotice>;
  if (status === 'closed') return <InfoNotice>{t.vote.closed}</InfoNotice>;
  if (election.access === 'accounts' && user === undefined) return <Loading />;
  if (election.access === 'accounts' && !user) {
    return (
      <>
        <InfoNotice>{t.vote.accountsRequired}</InfoNotice>
        <AuthForm title={t.auth.signIn} allowRegister onSignedIn={props.onSignedIn} />
      </>
    );
  }
  return (
    <>
      {user && (
        <p className="signed-in">
          {t.vote.signedInAs(user.name)}{' '}
          <button type="button" className="btn btn-link" onClick={props.onSignOut}>
            {t.vote.signOut}
          </button>
        </p>
      )}
      <Ballot election={election} onSubmit={props.onSubmit} />
    </>
  );
}
