// What the socket handlers need from the domain, as one small interface: realtime/domain.ts wires
// the real accounts/elections/ballots functions in, unit tests pass fakes.
import type { Selections } from '@tallyboard/shared';
import type { Principal } from '../accounts/tokens';
import type { ElectionMeta } from '../elections/rules';
import type { LiveReads } from '../live/ports';

/** Who is on the other end of a socket, as far as the transport cares. */
export interface Viewer {
  /** null for an anonymous viewer. */
  principal: Principal | null;
  isAdmin: boolean;
}

export interface SocketDomain extends LiveReads {
  /** Token → viewer; throws DomainError('unauthorized') when the token is invalid. */
  authenticate(token: string): Promise<Viewer>;
  /**
   * Throws DomainError('unauthorized') when the session `token` was revoked since the handshake
   * (logout, blocked, deleted, temporary password) or its role is no longer `viewer`'s (promoted
   * or demoted): the same check REST makes on every request.
   */
  recheckSession(token: string, viewer: Viewer): Promise<void>;
  /** Throws not_found / unauthorized / forbidden as the REST read of the election would. */
  assertCanView(e: ElectionMeta, viewer: Viewer): void;
  canSeeResults(e: ElectionMeta, viewer: Viewer): boolean;
  castBallot(input: {
    principal: Principal | null;
    electionId: string;
    selections: Selections;
    idempotencyKey?: string | undefined;
  }): Promise<{ receipt: string; replayed: boolean }>;
}
