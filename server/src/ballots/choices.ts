// What a ballot chose, as it is stored in `ballots.choices` (one column instead of a row per
// selection): the chosen candidates' ids and, per explicit abstention, `-<position id>`,
// space-separated; a blank ballot is ''. Ids are [0-9A-Za-z] (idSchema), so neither the space nor
// the dash can occur in one.
import { ABSTAIN } from '@tallyboard/shared';

/** `pairs` as validateSelections gives them: [positionId, candidateId or ABSTAIN]. */
export function encodeChoices(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([p, c]) => (c === ABSTAIN ? `-${p}` : c)).join(' ');
}

/** Adds one stored ballot's choices to the per-candidate and per-position-abstained counts. */
export function countChoices(
  choices: string,
  votes: Map<string, number>,
  abstained: Map<string, number>,
): void {
  if (choices === '') return;
  for (const token of choices.split(' ')) {
    if (token === '') continue;
    if (token.startsWith('-')) {
      const p = token.slice(1);
      abstained.set(p, (abstained.get(p) ?? 0) + 1);
    } else {
      votes.set(token, (votes.get(token) ?? 0) + 1);
    }
  }
}
