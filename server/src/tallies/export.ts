// Final results as CSV (one row per candidate, then the position's abstained and blank rows,
// then the election's ballot and blank totals) and JSON (the election with its results).
import type { Election, Results } from '@tallyboard/shared';

export const csvCell = (v: string | number | boolean | null): string => {
  const s = v === null ? '' : String(v);
  // Quote always; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** Spreadsheet programs read a CSV as UTF-8 (accents, ñ, ü) only when it starts with a BOM. */
export const UTF8_BOM = '\uFEFF';

export function resultsCsv(election: Election, results: Results): string {
  const lines = [
    ['position_id', 'position', 'candidate_id', 'candidate', 'votes', 'rank', 'winner', 'tied']
      .map(csvCell)
      .join(','),
  ];
  for (const p of results.positions) {
    const position = election.positions.find((x) => x.id === p.id);
    for (const c of p.candidates) {
      const name = position?.candidates.find((x) => x.id === c.id)?.name ?? '';
      lines.push(
        [p.id, position?.title ?? '', c.id, name, c.votes, c.rank, c.winner, c.tied]
          .map(csvCell)
          .join(','),
      );
    }
    const tail = (id: string, label: string, n: number) =>
      [p.id, position?.title ?? '', id, label, n, '', '', ''].map(csvCell).join(',');
    lines.push(tail('abstained', 'Abstained', p.abstained), tail('blank', 'Blank', p.blank));
  }
  const total = (id: string, label: string, n: number) =>
    ['', 'All positions', id, label, n, '', '', ''].map(csvCell).join(',');
  lines.push(
    total('ballots', 'Ballots', results.ballots),
    total('blank_ballots', 'Blank ballots (nothing marked anywhere)', results.blank),
  );
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

export function resultsJson(election: Election, results: Results) {
  return {
    election: { ...election },
    version: results.version,
    ballots: results.ballots,
    blank: results.blank,
    final: results.final,
    positions: results.positions.map((p) => {
      const position = election.positions.find((x) => x.id === p.id);
      return {
        id: p.id,
        title: position?.title ?? '',
        winners: position?.winners ?? 0,
        abstained: p.abstained,
        blank: p.blank,
        candidates: p.candidates.map((c) => ({
          ...c,
          name: position?.candidates.find((x) => x.id === c.id)?.name ?? '',
        })),
      };
    }),
  };
}
