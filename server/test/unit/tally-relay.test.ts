// The receivers' version floor (realtime/tally-relay.ts): three relays joined by an in-memory bus
// that stands in for the adapter's server-side events.
import type { Tally } from '@tallyboard/shared';
import { TallyRelay } from '../../src/realtime/tally-relay';
import { VersionFloor } from '../../src/live/coalescing';
import { tallyResults } from './support/live-fixtures';
import { wholeRoomOf } from '../../src/live/rooms';

type Listener = (rooms: string[], tally: Tally, force: boolean) => void;

/**
 * Nodes on one bus; `seen[node]` is what that node handed its own sockets, as room@version. Nodes
 * in `ungrouped` put their sockets in no tally group (TALLY_GROUPS=1).
 */
function cluster(
  names: string[],
  ungrouped: string[] = [],
): {
  relay: Record<string, TallyRelay>;
  seen: Record<string, string[]>;
} {
  const listeners = new Map<string, Listener>();
  const seen: Record<string, string[]> = {};
  const relay: Record<string, TallyRelay> = {};
  for (const name of names) {
    seen[name] = [];
    relay[name] = new TallyRelay({
      localEmit: (rooms, tally) => seen[name]!.push(`${rooms.join('+')}@${tally.version}`),
      toOtherNodes: (rooms, tally, force) => {
        for (const [other, l] of listeners) if (other !== name) l(rooms, tally, force);
      },
      onFromOtherNode: (l) => void listeners.set(name, l),
      ownRoom: ungrouped.includes(name) ? wholeRoomOf : undefined,
    });
  }
  return { relay, seen };
}

const tally = (version: number): Tally => ({ ...tallyResults(version), electionId: 'e1' });

describe('tally relay', () => {
  it('hands every node’s sockets a cluster tally, and a local one only to its own node', () => {
    const { relay, seen } = cluster(['a', 'b', 'c']);
    relay.a!.send(['e:e1'], tally(1), false, 'cluster');
    relay.b!.send(['e:e1'], tally(2), false, 'local');
    expect(seen).toEqual({ a: ['e:e1@1'], b: ['e:e1@1', 'e:e1@2'], c: ['e:e1@1'] });
  });

  it('drops an older tally from a second publisher (two leaders for a moment) on every node', () => {
    const { relay, seen } = cluster(['a', 'b', 'c']);
    relay.b!.send(['e:e1'], tally(77), false, 'cluster');
    relay.a!.send(['e:e1'], tally(76), false, 'cluster');
    relay.a!.send(['e:e1'], tally(77), false, 'cluster');
    for (const node of ['a', 'b', 'c']) expect(seen[node]).toEqual(['e:e1@77']);
  });

  it('lets an equal version through when forced (newly visible, final), never an older one', () => {
    const { relay, seen } = cluster(['a', 'b']);
    relay.a!.send(['e:e1'], tally(5), false, 'cluster');
    relay.a!.send(['e:e1'], tally(5), true, 'cluster');
    relay.a!.send(['e:e1'], tally(4), true, 'cluster');
    expect(seen.b).toEqual(['e:e1@5', 'e:e1@5']);
  });

  it('does not repeat to a node’s viewers what it served them itself while Redis was away', () => {
    const { relay, seen } = cluster(['a', 'b', 'c']);
    relay.c!.send(['e:e1'], tally(80), false, 'local');
    relay.a!.send(['e:e1'], tally(79), false, 'cluster');
    relay.a!.send(['e:e1'], tally(80), false, 'cluster');
    expect(seen.c).toEqual(['e:e1@80']);
    expect(seen.b).toEqual(['e:e1@79', 'e:e1@80']);
  });

  it('keeps one floor per room: the admins’ hidden tallies do not hold back the public room', () => {
    const { relay, seen } = cluster(['a', 'b']);
    relay.a!.send(['e:e1:admin'], tally(9), false, 'cluster');
    relay.a!.send(['e:e1'], tally(9), true, 'cluster');
    expect(seen.b).toEqual(['e:e1:admin@9', 'e:e1@9']);
  });
});

describe('tally relay, tally groups', () => {
  it('serves every group of a whole-room tally except those another leader put ahead', () => {
    const { relay, seen } = cluster(['a', 'b']);
    const groups = ['e:e1:g0', 'e:e1:g1', 'e:e1:g2'];
    // Leader a serves group 1 version 77 in its slot; leader b, a moment behind, sends 76 to all.
    relay.a!.send(['e:e1:g1'], tally(77), false, 'cluster');
    relay.b!.send(groups, tally(76), false, 'cluster');
    relay.b!.send(groups, tally(77), false, 'cluster');
    expect(seen.a).toEqual(['e:e1:g1@77', 'e:e1:g0+e:e1:g2@76', 'e:e1:g0+e:e1:g2@77']);
    expect(seen.b).toEqual(seen.a);
  });
});

describe('tally relay, a node without groups', () => {
  it('takes each group’s tally for its whole room, never going back between groups', () => {
    const { relay, seen } = cluster(['a', 'b'], ['b']);
    relay.a!.send(['e:e1:g0'], tally(77), false, 'cluster');
    relay.a!.send(['e:e1:g1'], tally(76), false, 'cluster'); // a lagging read, for another group
    relay.a!.send(['e:e1:g0', 'e:e1:g1'], tally(78), false, 'cluster');
    relay.a!.send(['e:e1:admin'], tally(78), false, 'cluster');
    expect(seen.b).toEqual(['e:e1@77', 'e:e1@78', 'e:e1:admin@78']);
    expect(seen.a).toEqual(['e:e1:g0@77', 'e:e1:g1@76', 'e:e1:g0+e:e1:g1@78', 'e:e1:admin@78']);
  });
});

describe('version floor memory', () => {
  it('forgets rooms that took no version for the idle time, and only those', () => {
    const f = new VersionFloor();
    f.accept('quiet', 3, false, 0);
    f.accept('busy', 3, false, 0);
    f.accept('busy', 4, false, 500);
    f.forgetIdle(700, 600);
    expect(f.size).toBe(1);
    expect(f.accept('busy', 4, false, 800)).toBe(false);
    expect(f.accept('quiet', 1, false, 800)).toBe(true);
  });
});
