// Casting over the socket (`ballot:cast`), as a voter who already holds one does: VOTERS sockets,
// each with its own voter token, are connected before anything is measured, and ballot i is cast
// by socket i mod VOTERS into the (i div VOTERS)-th election of the phase (one ballot per voter
// per election; consecutive ballots go to the same election, as in the REST phases). Elections
// are opened ahead, half an election before they are needed.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { BallotCastAck } from '@tallyboard/shared';
import { issueVoterToken } from '../server/src/accounts/tokens';
import type { BenchElection, Target } from './target';

/** One ballot: [status, ms]; status 201 for a new ballot acknowledged, else 0 or the error code. */
export type Cast = (i: number) => Promise<[number | string, number]>;

const CONNECT_AT_ONCE = 50;

export async function connectVoters(t: Target, n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += CONNECT_AT_ONCE) {
    const wave = Array.from({ length: Math.min(CONNECT_AT_ONCE, n - i) }, () => {
      const s = io(t.url, {
        path: '/socket.io/',
        forceNew: true,
        reconnection: false,
        transports: ['websocket'],
        query: { cid: randomUUID() },
        auth: { token: issueVoterToken(t.secret, 2) },
      });
      return new Promise<Socket>((resolve, reject) => {
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    });
    sockets.push(...(await Promise.all(wave)));
  }
  return sockets;
}

/** A caster for one phase: fresh elections, the connected voters. */
export function socketCaster(sockets: Socket[], openElection: () => Promise<BenchElection>): Cast {
  const elections: Array<Promise<BenchElection>> = [];
  const election = (k: number): Promise<BenchElection> => (elections[k] ??= openElection());
  return async (i) => {
    const k = Math.floor(i / sockets.length);
    if (i % sockets.length === sockets.length >> 1) void election(k + 1);
    const e = await election(k);
    const p = e.positions[0]!;
    const socket = sockets[i % sockets.length]!;
    const t0 = performance.now();
    const ack = await new Promise<BallotCastAck | null>((resolve) => {
      socket.timeout(30_000).emit(
        'ballot:cast',
        {
          electionId: e.id,
          selections: { [p.id]: [p.candidates[i % p.candidates.length]!.id] },
          idempotencyKey: randomUUID(), // as the REST phases send one
        },
        (err: unknown, res: BallotCastAck) => resolve(err ? null : res),
      );
    });
    const status = ack === null ? 0 : ack.ok ? (ack.replayed ? 200 : 201) : ack.error.code;
    return [status, performance.now() - t0];
  };
}
