// "Ballots in the last minute" for the monitor. Ballots carry no cast time (secret ballot), so the
// monitor remembers when it saw each count and re-reads the window every second: the figure is the
// ballots counted since a minute ago, and it falls back to 0 when nobody votes.
import { useEffect, useRef, useState } from 'react';

export interface BallotSample {
  at: number;
  ballots: number;
}

export const RATE_WINDOW_MS = 60_000;

/**
 * Ballots counted in the window ending at `now`: the latest count minus the count as it stood at
 * the window's start (the first count seen, when the monitor has watched for less than that).
 */
export function ballotsInWindow(samples: BallotSample[], now: number, windowMs = RATE_WINDOW_MS) {
  const latest = samples[samples.length - 1];
  if (!latest) return 0;
  const start = now - windowMs;
  let base = samples[0]!;
  for (const s of samples) {
    if (s.at <= start) base = s;
    else break;
  }
  return Math.max(0, latest.ballots - base.ballots);
}

/** The live figure for a monitor fed `ballots` (null until the first results arrive). */
export function useBallotsInLastMinute(ballots: number | null, tickMs = 1000): number {
  const samples = useRef<BallotSample[]>([]);
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (ballots === null) return;
    const now = Date.now();
    const last = samples.current[samples.current.length - 1];
    if (!last || last.ballots !== ballots) samples.current.push({ at: now, ballots });
    setCount(ballotsInWindow(samples.current, now));
  }, [ballots]);
  useEffect(() => {
    const timer = setInterval(() => {
      const now = Date.now();
      // Keep one sample at or before the window's start: it is the base of the count.
      const s = samples.current;
      while (s.length > 1 && s[1]!.at <= now - RATE_WINDOW_MS) s.shift();
      setCount(ballotsInWindow(s, now));
    }, tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return count;
}
