// The printable ballot-code slips and the codes' CSV: paper sizes, how many slips fit a page,
// the `@page` rule for the chosen paper, absolute voter links, and a CSV a spreadsheet opens
// safely. Pure functions, so the layout is tested without a browser.
import type { IssuedCode, RollEntry } from '../../../admin-api';

export const papers = {
  a4: { cssSize: 'A4', widthMm: 210, heightMm: 297 },
  letter: { cssSize: 'letter', widthMm: 215.9, heightMm: 279.4 },
} as const;
export type Paper = keyof typeof papers;

/** Page margin: inside what every office printer can print. */
export const PAGE_MARGIN_MM = 10;
/** A slip needs room for a 30 mm QR code, the name, the code and the link. */
export const MIN_SLIP_HEIGHT_MM = 60;
export const SLIP_COLUMNS = 2;

export interface SlipGrid {
  columns: number;
  rows: number;
  perPage: number;
  slipWidthMm: number;
  slipHeightMm: number;
}

/** Two columns, and as many rows as fit with slips at least `MIN_SLIP_HEIGHT_MM` tall. */
export function slipGrid(paper: Paper): SlipGrid {
  const { widthMm, heightMm } = papers[paper];
  const usableW = widthMm - 2 * PAGE_MARGIN_MM;
  const usableH = heightMm - 2 * PAGE_MARGIN_MM;
  const rows = Math.max(1, Math.floor(usableH / MIN_SLIP_HEIGHT_MM));
  const round = (n: number) => Math.floor(n * 10) / 10;
  return {
    columns: SLIP_COLUMNS,
    rows,
    perPage: SLIP_COLUMNS * rows,
    slipWidthMm: round(usableW / SLIP_COLUMNS),
    slipHeightMm: round(usableH / rows),
  };
}

/** Splits the slips into printed pages of `perPage`. */
export function paginate<T>(items: T[], perPage: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += perPage) pages.push(items.slice(i, i + perPage));
  return pages;
}

/** The `@page` rule for the chosen paper; the browser's print dialog starts from it. */
export function pageRule(paper: Paper): string {
  return `@page { size: ${papers[paper].cssSize}; margin: ${PAGE_MARGIN_MM}mm; }`;
}

/** The server may answer with a path: a slip needs the whole address to be typed or scanned. */
export function absoluteLink(link: string, origin: string): string {
  try {
    return new URL(link, origin).toString();
  } catch {
    return link;
  }
}

export interface Slip {
  ref: string;
  name: string;
  code: string;
  link: string;
}

/** One slip per issued code, with the voter's name from the roll, in roll order. */
export function slipsFor(codes: IssuedCode[], roll: RollEntry[], origin: string): Slip[] {
  const names = new Map(roll.map((e) => [e.ref, e.name]));
  return codes.map((c) => ({
    ref: c.ref,
    name: names.get(c.ref) ?? c.ref,
    code: c.code,
    link: absoluteLink(c.link, origin),
  }));
}

/** A cell a spreadsheet shows as text: quoted, and never read as a formula (`=`, `+`, `-`, `@`). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function slipsCsv(slips: Slip[]): string {
  const lines = [
    ['ref', 'name', 'code', 'link'],
    ...slips.map((s) => [s.ref, s.name, s.code, s.link]),
  ];
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
