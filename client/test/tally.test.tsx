// Tally rendering: counts and shares of ballots, winners and ties only once final, and a live
// subscription that never goes back to an older version.
import { act, render, screen, within } from '@testing-library/react';
import type { JoinAck, Tally } from '@tallyboard/shared';
import { TallyBars } from '../src/components/TallyBars';
import { useElectionLive } from '../src/live/hooks';
import { newerResults, percentOf } from '../src/tally';
import { electionFixture, resultsFixture } from './fixtures';

type Handler = (...args: unknown[]) => void;

/** A stand-in for the socket: records handlers and join requests, lets the test push events. */
class FakeSocket {
  connected = false;
  handlers = new Map<string, Handler[]>();
  joins: { electionId: string; ack: (err: Error | null, ack: JoinAck) => void }[] = [];
  io = { on: jest.fn() };
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  timeout() {
    return {
      emit: (
        _event: string,
        req: { electionId: string },
        ack: (err: Error | null, a: JoinAck) => void,
      ) => this.joins.push({ electionId: req.electionId, ack }),
    };
  }
  emit = jest.fn();
  connect() {
    this.connected = true;
    this.fire('connect');
  }
  disconnect() {
    this.connected = false;
    this.fire('disconnect');
  }
}

const fake = new FakeSocket();
jest.mock('socket.io-client', () => ({ io: () => fake }));

const election = electionFixture();
const chair = election.positions[0]!;
const council = election.positions[1]!;

function rowFor(name: string): HTMLElement {
  const row = screen
    .getAllByTestId('bar-row')
    .find((r) => r.getAttribute('data-candidate') === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('TallyBars', () => {
  it('shows each candidate votes and share of ballots', () => {
    const results = resultsFixture(1);
    render(<TallyBars position={chair} result={results.positions[0]} ballots={8} final={false} />);
    expect(within(rowFor('Ada Lovelace')).getByText('6')).toBeInTheDocument();
    expect(within(rowFor('Ada Lovelace')).getByText('75%')).toBeInTheDocument();
    expect(within(rowFor('Alan Turing')).getByText('25%')).toBeInTheDocument();
  });

  it('keeps winners and ties for the final results', () => {
    const { rerender } = render(
      <TallyBars
        position={council}
        result={resultsFixture(3).positions[1]}
        ballots={8}
        final={false}
      />,
    );
    expect(screen.queryByText('Winner')).not.toBeInTheDocument();
    rerender(
      <TallyBars
        position={council}
        result={resultsFixture(3, true).positions[1]}
        ballots={8}
        final
      />,
    );
    expect(within(rowFor('Grace Hopper')).getByText('Winner')).toBeInTheDocument();
    expect(within(rowFor('Edsger Dijkstra')).getByText('Tie')).toBeInTheDocument();
    expect(within(rowFor('Barbara Liskov')).getByText('Tie')).toBeInTheDocument();
    expect(within(rowFor('Barbara Liskov')).queryByText('Winner')).not.toBeInTheDocument();
    expect(screen.getByText(/tie for a winning place/i)).toBeInTheDocument();
  });

  it('shows zero percent rather than dividing by zero before the first ballot', () => {
    render(<TallyBars position={chair} result={undefined} ballots={0} final={false} />);
    expect(within(rowFor('Ada Lovelace')).getByText('0%')).toBeInTheDocument();
    expect(percentOf(3, 0)).toBe(0);
  });
});

describe('newerResults', () => {
  it('drops a tally older than the one shown', () => {
    const shown = resultsFixture(5);
    expect(newerResults(shown, resultsFixture(4))).toBe(shown);
    expect(newerResults(shown, resultsFixture(6)).version).toBe(6);
  });
});

function Probe() {
  const live = useElectionLive('e1');
  return (
    <p>
      <span data-testid="version">{live.results?.version ?? 'none'}</span>
      <span data-testid="viewers">{live.viewers ?? 'none'}</span>
    </p>
  );
}

const tally = (version: number, ballots: number): Tally => ({
  ...resultsFixture(version),
  ballots,
  electionId: 'e1',
});

describe('useElectionLive', () => {
  it('applies the join snapshot, ignores older tallies and re-joins after a reconnect', () => {
    render(<Probe />);
    act(() => fake.connect());
    expect(fake.joins.map((j) => j.electionId)).toEqual(['e1']);
    act(() =>
      fake.joins[0]!.ack(null, {
        ok: true,
        status: 'open',
        results: tally(10, 8),
        presence: 4,
        election: { electionId: 'e1', status: 'open', opensAt: null, closesAt: null },
      }),
    );
    expect(screen.getByTestId('version')).toHaveTextContent('10');
    expect(screen.getByTestId('viewers')).toHaveTextContent('4');

    act(() => fake.fire('tally', tally(12, 9)));
    expect(screen.getByTestId('version')).toHaveTextContent('12');
    act(() => fake.fire('tally', tally(11, 8)));
    expect(screen.getByTestId('version')).toHaveTextContent('12');
    act(() => fake.fire('tally', { ...tally(20, 30), electionId: 'other' }));
    expect(screen.getByTestId('version')).toHaveTextContent('12');

    act(() => fake.disconnect());
    act(() => fake.connect());
    expect(fake.joins).toHaveLength(2);
    // A snapshot from a lagging node after the reconnect must not move the bars back.
    act(() =>
      fake.joins[1]!.ack(null, {
        ok: true,
        status: 'open',
        results: tally(11, 8),
        presence: 5,
        election: { electionId: 'e1', status: 'open', opensAt: null, closesAt: null },
      }),
    );
    expect(screen.getByTestId('version')).toHaveTextContent('12');
    expect(screen.getByTestId('viewers')).toHaveTextContent('5');
  });
});
