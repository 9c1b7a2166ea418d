// The builder's allowlist field: one entry per line (or comma-separated, as pasted from a mail
// client), flagged as typed when it is neither an email address nor `@domain`, and cleared when
// the election is not an `accounts` one.
import {
  allowlistLines,
  badAllowlistEntries,
  inputFromForm,
  type ElectionForm,
} from '../src/pages/admin/builder/form';

const form = (access: ElectionForm['access'], allowlist: string): ElectionForm => ({
  title: 'Board',
  description: '',
  access,
  resultsVisibility: 'live',
  anonymitySet: '',
  opensAt: '',
  closesAt: '',
  allowlist,
  positions: [],
});

describe('allowlist field', () => {
  it('reads lines, commas and semicolons, and drops blanks', () => {
    expect(allowlistLines(' ana@school.edu \n\n@club.org, ben@x.org; ')).toEqual([
      'ana@school.edu',
      '@club.org',
      'ben@x.org',
    ]);
  });

  it('names the entries the server would refuse', () => {
    expect(badAllowlistEntries('ana@school.edu\nschool.edu\n@nodot\n@School.EDU')).toEqual([
      'school.edu',
      '@nodot',
    ]);
  });

  it('sends the list for accounts elections only, and an empty one otherwise', () => {
    expect(inputFromForm(form('accounts', 'ana@school.edu\n@club.org')).allowlist).toEqual([
      'ana@school.edu',
      '@club.org',
    ]);
    expect(inputFromForm(form('open', 'ana@school.edu')).allowlist).toEqual([]);
  });
});
