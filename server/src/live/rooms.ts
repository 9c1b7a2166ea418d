// Which room a tally goes to. The rule of who may see results is the domain's
// (elections/rules.ts `canSeeResults`); this file only maps it onto rooms. Every viewer of an
// election is in `e:<id>` (status, presence, public tallies); admins are also in `e:<id>:admin`,
// which receives the tallies that are hidden from everyone else. Every viewer is also in one tally
// group `e:<id>:g<k>`, which gets the public tallies a group at a time while the frame budget
// stretches the interval (live/tally-groups.ts).
import type { ElectionAccess } from '../elections/rules';
import { canSeeResults } from '../elections/rules';

export const viewersRoom = (electionId: string): string => `e:${electionId}`;
export const adminRoom = (electionId: string): string => `e:${electionId}:admin`;
/** Every socket a signed-in user holds, on any node: closed together when its sessions end. */
export const userRoom = (userId: string): string => `u:${userId}`;

/** Results visible to every viewer, signed in or not. */
export const resultsArePublic = (e: ElectionAccess): boolean => canSeeResults(e, null);

/** The room a tally is emitted to right now. */
export function tallyRoom(electionId: string, e: ElectionAccess): string {
  return resultsArePublic(e) ? viewersRoom(electionId) : adminRoom(electionId);
}

/**
 * One of the election's tally groups (live/tally-groups.ts): every viewer socket is in one, so a
 * stretched interval's tallies can go out a group at a time instead of in one burst.
 */
export const groupRoom = (electionId: string, group: number): string => `e:${electionId}:g${group}`;

/** The election's whole viewers room for one of its group rooms; any other room unchanged. */
export function wholeRoomOf(room: string): string {
  const group = /^(e:[^:]+):g\d+$/.exec(room);
  return group ? group[1]! : room;
}

/** The group a socket joining on this node goes to: the one with the fewest sockets here. */
export function leastFilledGroup(
  electionId: string,
  groups: number,
  localMembers: (room: string) => number,
): string {
  let best = groupRoom(electionId, 0);
  let fewest = localMembers(best);
  for (let g = 1; g < groups && fewest > 0; g++) {
    const room = groupRoom(electionId, g);
    const n = localMembers(room);
    if (n < fewest) [best, fewest] = [room, n];
  }
  return best;
}
