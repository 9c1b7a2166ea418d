// How one position fits the board: columns, rows per page and row height from the space left for
// the bars, and names shortened so that no two read alike. Pure, so the rules are unit-tested.

export interface BoardLayout {
  columns: number;
  /** Rows per column on a page. */
  rows: number;
  /** Candidates on one page (all of them when `pages` is 1). */
  perPage: number;
  pages: number;
  rowHeight: number;
}

/** Tunables of the fit, in one place. */
export const FIT = {
  /** Smallest legible row, as a share of the screen height (54 px at 1080p, 36 at 720p). */
  minRowShare: 0.05,
  /** Largest row, so that 1-3 candidates fill the board without becoming a wall of bar. */
  maxRowShare: 0.26,
  /** A column narrower than this cannot show a name beside its figures. */
  minColumnPx: 300,
  maxColumns: 3,
};

export function boardLayout(
  candidates: number,
  space: { width: number; height: number },
  screenHeight: number,
): BoardLayout {
  const n = Math.max(1, candidates);
  const minRow = Math.max(34, screenHeight * FIT.minRowShare);
  const maxRow = Math.max(minRow, screenHeight * FIT.maxRowShare);
  const height = Math.max(minRow, space.height);
  const maxColumns = Math.max(
    1,
    Math.min(FIT.maxColumns, Math.floor(space.width / FIT.minColumnPx)),
  );
  const rowHeight = (rows: number) => Math.min(maxRow, Math.floor(height / rows));
  // Fewest columns that fit every candidate at a legible size: wider columns keep names whole.
  for (let columns = 1; columns <= maxColumns; columns++) {
    const rows = Math.ceil(n / columns);
    if (rows * minRow <= height) {
      return { columns, rows, perPage: n, pages: 1, rowHeight: rowHeight(rows) };
    }
  }
  // Does not fit: page through, with pages of equal size ("1-20 of 40", "21-40 of 40").
  const columns = maxColumns;
  const capacity = columns * Math.max(1, Math.floor(height / minRow));
  const pages = Math.ceil(n / capacity);
  const perPage = Math.ceil(n / pages);
  const rows = Math.ceil(perPage / columns);
  return { columns, rows, perPage, pages, rowHeight: rowHeight(rows) };
}

const ELLIPSIS = '…';

/**
 * Each name as it can be shown in `width[i]` pixels (`measure` gives a string's rendered width).
 * A name that fits is shown whole. One that does not keeps its start and the part that tells it
 * apart from the names most like it: "Council candidate n…12". No two results are equal unless
 * the names are.
 */
export function fitNames(
  names: string[],
  widths: number[],
  measure: (text: string) => number,
): string[] {
  const fits = (s: string, i: number) => measure(s) <= (widths[i] ?? 0);
  const shown = names.map((name, i) => {
    if (fits(name, i)) return name;
    // Where it first differs from the most similar other name.
    let d = 0;
    names.forEach((other, j) => {
      if (j !== i && other !== name) d = Math.max(d, commonPrefix(name, other));
    });
    return shorten(name, d, (s) => fits(s, i));
  });
  // Names different but shortened alike (rare): show their distinct ends.
  const seen = new Map<string, number>();
  shown.forEach((s) => seen.set(s, (seen.get(s) ?? 0) + 1));
  return shown.map((s, i) =>
    (seen.get(s) ?? 0) > 1 && names[i] !== s ? tailOnly(names[i]!, (t) => fits(t, i)) : s,
  );
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/** The longest "head…tail" that fits, where the tail starts with the word that tells it apart. */
function shorten(name: string, differsAt: number, fits: (s: string) => boolean): string {
  const plain = (k: number) => name.slice(0, k).trimEnd() + ELLIPSIS;
  // The difference lies within a plain head that fits: "Katherine Johnson-Ma…".
  const longestPlain = longest(name.length - 1, (k) => fits(plain(k)));
  if (longestPlain > differsAt) return plain(longestPlain);
  // Otherwise a head, the ellipsis, and the rest from the word where the difference is.
  const at = Math.min(differsAt, name.length - 1);
  const wordStart = name.lastIndexOf(' ', at - 1) + 1;
  const tail = name.slice(wordStart);
  const joined = (k: number) => (k > 0 ? name.slice(0, k).trimEnd() : '') + ELLIPSIS + tail;
  if (fits(joined(0))) return joined(longest(wordStart - 1, (k) => fits(joined(k))));
  // Even that part is too long: keep its start.
  const k = longest(tail.length, (n) => fits(ELLIPSIS + tail.slice(0, n) + ELLIPSIS));
  return ELLIPSIS + tail.slice(0, Math.max(at - wordStart + 1, k)) + ELLIPSIS;
}

function tailOnly(name: string, fits: (s: string) => boolean): string {
  const k = longest(name.length, (n) => fits(ELLIPSIS + name.slice(name.length - n)));
  return ELLIPSIS + name.slice(name.length - Math.max(1, k));
}

/** The largest k in 0..max with ok(k), for ok monotone (true up to some k). */
function longest(max: number, ok: (k: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
