// The admin monitor's "Ballots in the last minute": the true count of the last 60 s, which falls
// back to 0 when voting stops, not a figure frozen at the last change.
import { act, render, screen } from '@testing-library/react';
import type { Results } from '@tallyboard/shared';
import { Monitor } from '../src/pages/admin/detail/Monitor';
import { ballotsInWindow } from '../src/pages/admin/detail/ballot-rate';
import { electionFixture, resultsFixture } from './fixtures';

const withBallots = (ballots: number, version: number): Results => ({
  ...resultsFixture(version),
  ballots,
});

describe('ballots in the last minute', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2025-05-01T10:00:00Z'));
  });
  afterEach(() => jest.useRealTimers());

  it('counts three ballots in 10 s as 3, and falls to 0 a minute after the last one', () => {
    const election = electionFixture();
    const view = (results: Results | null) => (
      <Monitor election={election} results={results} viewers={1} final={false} />
    );
    const { rerender } = render(view(withBallots(0, 1)));
    const figure = () => screen.getByTestId('monitor-per-minute').textContent;
    for (const [i, at] of [1_000, 5_000, 10_000].entries()) {
      act(() => jest.advanceTimersByTime(at - (i === 0 ? 0 : [1_000, 5_000][i - 1]!)));
      rerender(view(withBallots(i + 1, i + 2)));
    }
    expect(figure()).toBe('3');
    // 55 s after the first ballot: still all three.
    act(() => jest.advanceTimersByTime(46_000));
    expect(figure()).toBe('3');
    // One by one they fall out of the window; no new tally arrives meanwhile.
    act(() => jest.advanceTimersByTime(7_000)); // 63 s
    expect(figure()).toBe('2');
    act(() => jest.advanceTimersByTime(3_000)); // 66 s
    expect(figure()).toBe('1');
    act(() => jest.advanceTimersByTime(5_000)); // 71 s
    expect(figure()).toBe('0');
  });

  it('counts from the first figure seen when the monitor has watched for less than a minute', () => {
    const s = [
      { at: 0, ballots: 40 },
      { at: 20_000, ballots: 43 },
    ];
    expect(ballotsInWindow(s, 30_000)).toBe(3);
    expect(ballotsInWindow(s, 70_000)).toBe(3);
    expect(ballotsInWindow(s, 80_001)).toBe(0);
    expect(ballotsInWindow([], 0)).toBe(0);
  });
});
