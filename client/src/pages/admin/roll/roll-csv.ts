// Reads a voter roll pasted or uploaded as CSV (`ref,name,email?`), so the admin sees what will be
// sent before sending it: the voters, refs that appear twice in the file, and lines that cannot be
// used, each with its line number. Spreadsheets export with commas, semicolons or tabs; all work.
import type { RollVoter } from '../../../admin-api';

export type LineProblem = 'noRef' | 'noName' | 'badEmail' | 'tooManyColumns';

export interface RollPreview {
  voters: RollVoter[];
  /** A ref seen again: the first line is kept, the later ones are listed here. */
  duplicates: { ref: string; line: number; firstLine: number }[];
  problems: { line: number; problem: LineProblem }[];
}

/** Splits CSV text into rows of cells: quoted cells may hold the separator, quotes and newlines. */
export function csvRows(text: string, separator: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === separator) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  endRow();
  return rows;
}

/** The separator a spreadsheet most likely used: whichever of `,` `;` tab the first line has most. */
export function guessSeparator(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((s) => [s, first.split(s).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a row is the header line (`ref,name,email`), in any case. */
function isHeader(cells: string[]): boolean {
  return cells[0]?.trim().toLowerCase() === 'ref' && cells[1]?.trim().toLowerCase() === 'name';
}

export function parseRoll(text: string): RollPreview {
  const rows = csvRows(text, guessSeparator(text));
  const voters: RollVoter[] = [];
  const duplicates: RollPreview['duplicates'] = [];
  const problems: RollPreview['problems'] = [];
  const seen = new Map<string, number>();
  rows.forEach(({ line, cells }, index) => {
    if (index === 0 && isHeader(cells)) return;
    const [ref = '', name = '', email = '', ...rest] = cells.map((c) => c.trim());
    if (rest.some((c) => c !== '')) return problems.push({ line, problem: 'tooManyColumns' });
    if (!ref) return problems.push({ line, problem: 'noRef' });
    if (!name) return problems.push({ line, problem: 'noName' });
    if (email && !EMAIL.test(email)) return problems.push({ line, problem: 'badEmail' });
    const firstLine = seen.get(ref);
    if (firstLine !== undefined) return duplicates.push({ ref, line, firstLine });
    seen.set(ref, line);
    voters.push(email ? { ref, name, email } : { ref, name });
  });
  return { voters, duplicates, problems };
}
