// The real domain behind the socket handlers' SocketDomain port.
import { authenticateToken } from '../accounts/users';
import type { Deps } from '../deps';
import { DomainError } from '../errors';
import { assertCanView, canSeeResults, isAdmin } from '../elections/rules';
import type { LiveReads } from '../live/ports';
import type { SocketDomain } from './ports';

export function socketDomain(deps: Deps, reads: LiveReads): SocketDomain {
  return {
    ...reads,
    async authenticate(token) {
      const principal = await authenticateToken(deps.master, deps.config, token);
      if (!principal) throw new DomainError('unauthorized', 'invalid or expired token');
      return { principal, isAdmin: isAdmin(principal) };
    },
    async recheckSession(token, viewer) {
      const now = await authenticateToken(deps.master, deps.config, token);
      if (!now) throw new DomainError('unauthorized', 'this session has ended; sign in again');
      // A role change closes the account's sockets; one whose close was missed is caught here.
      if (isAdmin(now) !== viewer.isAdmin) {
        throw new DomainError('unauthorized', 'this account’s rights changed; reconnect');
      }
    },
    assertCanView: (e, viewer) => assertCanView(e, viewer.principal),
    canSeeResults: (e, viewer) => canSeeResults(e, viewer.principal),
    castBallot({ principal, ...rest }) {
      if (!principal) {
        return Promise.reject(
          new DomainError('unauthorized', 'a voter token or a session is needed to vote'),
        );
      }
      return deps.ballots.cast({ principal, ...rest });
    },
  };
}
