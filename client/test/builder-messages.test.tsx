// The builder's messages are the product's own words, naming each field as the form labels it:
// never zod's wording ("Too small: expected number to be >=1") or an internal name ("opensAt").
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { api, ApiError } from '../src/api';
import { setLanguage } from '../src/i18n';
import { issueMessage } from '../src/pages/admin/builder/messages';
import { ElectionBuilder } from '../src/pages/admin/builder/ElectionBuilder';
import { electionFixture } from './fixtures';

const RAW = /too small|too big|expected|>=|<=|opensAt|closesAt|maxSelections|invalid input/i;

function setup() {
  const user = userEvent.setup();
  const onSaved = jest.fn();
  render(
    <ElectionBuilder
      election={{ ...electionFixture(), status: 'draft' }}
      onSaved={onSaved}
      onCancel={jest.fn()}
    />,
  );
  return { user, onSaved };
}

afterEach(() => {
  jest.restoreAllMocks();
  setLanguage('en');
});

describe('builder messages', () => {
  it('says "Select up to" must be at least 1, in its own words, when it is 0', async () => {
    const update = jest.spyOn(api, 'updateElection');
    const { user } = setup();
    const field = document.getElementById('f-positions-0-maxSelections') as HTMLInputElement;
    await user.clear(field);
    await user.type(field, '0');
    await user.click(screen.getByRole('button', { name: /save election/i }));
    const message = await screen.findByText('“Select up to” must be at least 1.');
    expect(message.textContent).not.toMatch(RAW);
    expect(field).toHaveAccessibleDescription(expect.stringContaining('“Select up to”'));
    expect(document.body.textContent).not.toMatch(RAW);
    expect(update).not.toHaveBeenCalled();
  });

  it("puts the server's 422 issue in the product's words next to the field", async () => {
    jest.spyOn(api, 'updateElection').mockRejectedValue(
      new ApiError(422, 'invalid', 'the request is not valid', {
        issues: [{ path: ['closesAt'], message: 'must be after opensAt' }],
      }),
    );
    const { user, onSaved } = setup();
    await user.click(screen.getByRole('button', { name: /save election/i }));
    expect(await screen.findByText('“Closes at” must be after “Opens at”.')).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(RAW);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('maps local and server issues alike, in every language, never echoing raw text', () => {
    const cases = [
      { path: ['title'], code: 'custom', message: 'must not be empty' },
      {
        path: ['positions', 0, 'maxSelections'],
        code: 'too_small',
        origin: 'number',
        minimum: 1,
        message: 'Too small: expected number to be >=1',
      },
      { path: ['positions.0.maxSelections'], message: 'Too small: expected number to be >=1' },
      {
        path: ['positions', 1, 'winners'],
        message: 'must be at most the number of candidates (3)',
      },
      {
        path: ['positions', 0, 'candidates', 1, 'name'],
        message: 'the same name as candidate 1 of this position',
      },
      { path: ['positions', 0, 'candidates', 1, 'photoUrl'], message: 'must be an http(s) URL' },
      {
        path: ['anonymitySet'],
        code: 'too_big',
        origin: 'number',
        maximum: 100,
        message: 'Too big: expected number to be <=100',
      },
      { path: ['closesAt'], message: 'must be in the future' },
      {
        path: ['positions'],
        code: 'too_small',
        origin: 'array',
        minimum: 1,
        message: 'Too small: expected array to have >=1 items',
      },
      { path: ['opensAt'], message: 'something the client has never heard of' },
      { path: [], message: 'Unrecognized key: "bogus"' },
    ];
    expect(issueMessage(cases[0]!)).toBe('Give the election a title.');
    expect(issueMessage(cases[2]!)).toBe('“Select up to” must be at least 1.');
    expect(issueMessage(cases[3]!)).toBe(
      '“Winners” cannot be more than the number of candidates (3).',
    );
    expect(issueMessage(cases[9]!)).toBe('Check “Opens at”.');
    for (const lang of ['en', 'fil', 'es'] as const) {
      setLanguage(lang);
      for (const issue of cases) {
        const text = issueMessage(issue);
        expect(text).not.toMatch(RAW);
        expect(text).not.toContain(issue.message);
      }
    }
  });
});
