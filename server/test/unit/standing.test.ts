// Why a caller cannot vote, in the order the ballot page explains it, and what a duplicate copies.
import type { Election } from '@tallyboard/shared';
import { whyCannotVote } from '../../src/elections/standing';
import { copyTitle, duplicateInput } from '../../src/elections/duplicate';

describe('whyCannotVote', () => {
  it('lets an admitted caller who has not voted vote while open', () => {
    expect(whyCannotVote({ status: 'open', admission: null, voted: false })).toBeNull();
  });

  it('says "already voted" before the election closes or opens, not "not open"', () => {
    expect(whyCannotVote({ status: 'open', admission: null, voted: true })).toBe('already_voted');
    expect(whyCannotVote({ status: 'closed', admission: null, voted: true })).toBe('already_voted');
    expect(whyCannotVote({ status: 'scheduled', admission: null, voted: false })).toBe('not_open');
  });

  it('puts who the caller is first', () => {
    expect(whyCannotVote({ status: 'closed', admission: 'sign_in_required', voted: false })).toBe(
      'sign_in_required',
    );
    expect(whyCannotVote({ status: 'open', admission: 'not_on_allowlist', voted: true })).toBe(
      'not_on_allowlist',
    );
  });
});

describe('duplicate', () => {
  const election: Election = {
    id: 'e1',
    joinCode: 'ABCDEF',
    title: 'Board 2026',
    description: null,
    access: 'accounts',
    resultsVisibility: 'after_close',
    status: 'closed',
    opensAt: '2026-01-01T00:00:00.000Z',
    closesAt: '2026-01-02T00:00:00.000Z',
    anonymitySet: 5,
    eligible: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    positions: [
      {
        id: 'p1',
        title: 'Chair',
        description: 'the chair',
        maxSelections: 1,
        winners: 1,
        allowAbstain: true,
        candidates: [
          { id: 'c1', name: 'Ada', description: null, photoUrl: 'https://x.test/a.jpg' },
          { id: 'c2', name: 'Grace', description: 'b', photoUrl: null },
        ],
      },
    ],
  };

  it('copies positions, candidates and settings, not ids, times or ballots', () => {
    expect(duplicateInput(election, ['@school.edu'])).toEqual({
      title: 'Board 2026 (copy)',
      description: undefined,
      access: 'accounts',
      resultsVisibility: 'after_close',
      anonymitySet: 5,
      allowlist: ['@school.edu'],
      positions: [
        {
          title: 'Chair',
          description: 'the chair',
          maxSelections: 1,
          winners: 1,
          allowAbstain: true,
          candidates: [
            { name: 'Ada', description: undefined, photoUrl: 'https://x.test/a.jpg' },
            { name: 'Grace', description: 'b', photoUrl: undefined },
          ],
        },
      ],
    });
  });

  it('keeps a long title within the limit', () => {
    const t = copyTitle('x'.repeat(200));
    expect(t).toHaveLength(200);
    expect(t.endsWith(' (copy)')).toBe(true);
  });
});
