// Final results as CSV (one row per candidate) and JSON (the election with its results).
import type { Election, Results } from '@tallyboard/shared';

const cell = (v: string | number | boolean | null): string => {
  const s = v === null ? '' : String(v);
  // Quote always; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

export function resultsCsv(election: Election, results: Results): string {
  const lines = [
    ['position_id', 'position', 'candidate_id', 'candidate', 'votes', 'rank', 'winner', 'tied']
      .map(cell)
      .join(','),
  ];
  for (const p of results.positions) {
    const position = election.positions.find((x) => x.id === p.id);
    for (const c of p.candidates) {
      const name = position?.candidates.find((x) => x.id === c.id)?.name ?? '';
      lines.push(
        [p.id, position?.title ?? '', c.id, name, c.votes, c.rank, c.winner, c.tied]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function resultsJson(election: Election, results: Results) {
  return {
    election: { ...election },
    version: results.version,
    ballots: results.ballots,
    final: results.final,
    positions: results.positions.map((p) => {
      const position = election.positions.find((x) => x.id === p.id);
      return {
        id: p.id,
        title: position?.title ?? '',
        winners: position?.winners ?? 0,
        candidates: p.candidates.map((c) => ({
          ...c,
          name: position?.candidates.find((x) => x.id === c.id)?.name ?? '',
        })),
      };
    }),
  };
}
