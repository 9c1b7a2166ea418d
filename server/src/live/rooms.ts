// Which room a tally goes to. The rule of who may see results is the domain's
// (elections/rules.ts `canSeeResults`); this file only maps it onto rooms. Every viewer of an
// election is in `e:<id>` (status, presence, public tallies); admins are also in `e:<id>:admin`,
// which receives the tallies that are hidden from everyone else.
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
