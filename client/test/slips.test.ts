// The printed slips: how many fit a page of each paper, the `@page` rule the print dialog starts
// from, links a phone can open, and a codes CSV a spreadsheet cannot run as formulas.
import {
  absoluteLink,
  MIN_SLIP_HEIGHT_MM,
  pageRule,
  paginate,
  slipGrid,
  slipsCsv,
  slipsFor,
} from '../src/pages/admin/roll/slips';

describe('slip layout', () => {
  it('fits two columns of four slips on A4 and on Letter, each tall enough for its QR code', () => {
    for (const paper of ['a4', 'letter'] as const) {
      const grid = slipGrid(paper);
      expect(grid).toMatchObject({ columns: 2, rows: 4, perPage: 8 });
      expect(grid.slipHeightMm).toBeGreaterThanOrEqual(MIN_SLIP_HEIGHT_MM);
    }
    expect(slipGrid('a4').slipWidthMm).toBe(95);
    expect(slipGrid('letter').slipHeightMm).toBeLessThan(slipGrid('a4').slipHeightMm);
  });

  it('sets the page size the admin chose', () => {
    expect(pageRule('a4')).toBe('@page { size: A4; margin: 10mm; }');
    expect(pageRule('letter')).toBe('@page { size: letter; margin: 10mm; }');
  });

  it('splits 17 slips into pages of 8, 8 and 1', () => {
    const pages = paginate(
      Array.from({ length: 17 }, (_, i) => i),
      8,
    );
    expect(pages.map((p) => p.length)).toEqual([8, 8, 1]);
    expect(paginate([], 8)).toEqual([]);
  });
});

describe('slips and their CSV', () => {
  const codes = [
    { ref: 'S-1', code: 'ABCD-EFGH-JKLM-NPQR', link: '/vote/CLUB01?code=ABCDEFGHJKLMNPQR' },
    { ref: '=cmd', code: 'WXYZ-2345-6789-ABCD', link: '/vote/CLUB01?code=WXYZ23456789ABCD' },
  ];
  const roll = [
    { ref: 'S-1', name: 'Ana "Ann" Reyes', email: null, voted: false, code: 'issued' as const },
  ];

  it('puts the voter name from the roll and the whole address on each slip', () => {
    const slips = slipsFor(codes, roll, 'https://vote.example.org');
    expect(slips[0]).toEqual({
      ref: 'S-1',
      name: 'Ana "Ann" Reyes',
      code: 'ABCD-EFGH-JKLM-NPQR',
      link: 'https://vote.example.org/vote/CLUB01?code=ABCDEFGHJKLMNPQR',
    });
    expect(slips[1]?.name).toBe('=cmd'); // not on the list given: its ref stands in
    expect(absoluteLink('https://other.example/x', 'https://vote.example.org')).toBe(
      'https://other.example/x',
    );
  });

  it('quotes every cell and defuses cells a spreadsheet would run as formulas', () => {
    const csv = slipsCsv(slipsFor(codes, roll, 'https://v.example'));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"ref","name","code","link"');
    expect(lines[1]).toBe(
      '"S-1","Ana ""Ann"" Reyes","ABCD-EFGH-JKLM-NPQR","https://v.example/vote/CLUB01?code=ABCDEFGHJKLMNPQR"',
    );
    expect(lines[2]?.startsWith(`"'=cmd","'=cmd"`)).toBe(true);
  });
});
