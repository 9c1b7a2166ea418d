// Elections and results shared by the component tests.
import type { Election, Results } from '@tallyboard/shared';

export function electionFixture(): Election {
  return {
    id: 'e1',
    joinCode: 'ABCD23',
    title: 'Club board 2025',
    description: null,
    access: 'open',
    resultsVisibility: 'live',
    status: 'open',
    opensAt: null,
    closesAt: null,
    anonymitySet: 1,
    eligible: null,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    positions: [
      {
        id: 'p-chair',
        title: 'Chair',
        description: null,
        maxSelections: 1,
        winners: 1,
        allowAbstain: false,
        candidates: [
          { id: 'c-ada', name: 'Ada Lovelace', description: 'Mathematician', photoUrl: null },
          { id: 'c-alan', name: 'Alan Turing', description: null, photoUrl: null },
        ],
      },
      {
        id: 'p-council',
        title: 'Council',
        description: null,
        maxSelections: 2,
        winners: 2,
        allowAbstain: true,
        candidates: [
          { id: 'c-grace', name: 'Grace Hopper', description: null, photoUrl: null },
          { id: 'c-edsger', name: 'Edsger Dijkstra', description: null, photoUrl: null },
          { id: 'c-barbara', name: 'Barbara Liskov', description: null, photoUrl: null },
        ],
      },
    ],
  };
}

export function resultsFixture(version: number, final = false): Results {
  return {
    version,
    ballots: 8,
    blank: 0,
    final,
    eligible: null,
    positions: [
      {
        id: 'p-chair',
        candidates: [
          { id: 'c-ada', votes: 6, rank: 1, winner: true, tied: false },
          { id: 'c-alan', votes: 2, rank: 2, winner: false, tied: false },
        ],
        abstained: 0,
        blank: 0,
      },
      {
        id: 'p-council',
        candidates: [
          { id: 'c-grace', votes: 5, rank: 1, winner: true, tied: false },
          { id: 'c-edsger', votes: 3, rank: 2, winner: true, tied: true },
          { id: 'c-barbara', votes: 3, rank: 2, winner: false, tied: true },
        ],
        abstained: 1,
        blank: 1,
      },
    ],
  };
}
