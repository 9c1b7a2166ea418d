// The roll import preview: what a pasted or uploaded CSV becomes before it is sent, with every
// skipped line named by its number, so the admin can fix the file instead of guessing.
import { csvRows, guessSeparator, parseRoll } from '../src/pages/admin/roll/roll-csv';

describe('parseRoll', () => {
  it('reads ref,name,email with a header line, the email optional', () => {
    const preview = parseRoll('ref,name,email\nS-1,Ana Reyes,ana@school.edu\nS-2,Ben Cruz,\n');
    expect(preview.voters).toEqual([
      { ref: 'S-1', name: 'Ana Reyes', email: 'ana@school.edu' },
      { ref: 'S-2', name: 'Ben Cruz' },
    ]);
    expect(preview.duplicates).toEqual([]);
    expect(preview.problems).toEqual([]);
  });

  it('keeps the first of a repeated ref and reports the later lines with the first line', () => {
    const preview = parseRoll('S-1,Ana\nS-2,Ben\nS-1,Ana again\n\nS-1,Third');
    expect(preview.voters.map((v) => v.ref)).toEqual(['S-1', 'S-2']);
    expect(preview.duplicates).toEqual([
      { ref: 'S-1', line: 3, firstLine: 1 },
      { ref: 'S-1', line: 5, firstLine: 1 },
    ]);
  });

  it('names each unusable line: no ref, no name, a bad email, extra columns', () => {
    const preview = parseRoll(',Nobody\nS-9,\nS-3,Cy,not-an-email\nS-4,Di,di@x.org,extra\nS-5,Ed');
    expect(preview.problems).toEqual([
      { line: 1, problem: 'noRef' },
      { line: 2, problem: 'noName' },
      { line: 3, problem: 'badEmail' },
      { line: 4, problem: 'tooManyColumns' },
    ]);
    expect(preview.voters).toEqual([{ ref: 'S-5', name: 'Ed' }]);
  });

  it('reads a spreadsheet export: semicolons, CRLF, a byte-order mark and quoted commas', () => {
    const text = '\uFEFFref;name;email\r\n7;"Reyes, Ana";ana@school.edu\r\n8;"Cruz ""Benny""";\r\n';
    expect(guessSeparator(text)).toBe(';');
    expect(parseRoll(text).voters).toEqual([
      { ref: '7', name: 'Reyes, Ana', email: 'ana@school.edu' },
      { ref: '8', name: 'Cruz "Benny"' },
    ]);
  });

  it('counts lines inside a quoted cell, so later line numbers match the file', () => {
    const rows = csvRows('a,"two\nlines"\nb,c', ',');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'two\nlines'] },
      { line: 3, cells: ['b', 'c'] },
    ]);
  });

  it('reads 10,000 voters', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `R${i},Voter ${i}`).join('\n');
    const preview = parseRoll(text);
    expect(preview.voters).toHaveLength(10_000);
    expect(preview.voters[9_999]).toEqual({ ref: 'R9999', name: 'Voter 9999' });
  });
});
