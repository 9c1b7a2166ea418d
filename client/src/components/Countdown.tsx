// A countdown to an election's opening or closing, ticking every second.
import { useEffect, useState } from 'react';
import { t } from '../i18n';

export function formatRemaining(ms: number): string {
  if (ms <= 0) return t.countdown.now;
  const total = Math.ceil(ms / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = h > 0 || d > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  return d > 0 ? `${t.countdown.days(d)} ${clock}` : clock;
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

interface Props {
  target: string;
  kind: 'opens' | 'closes';
  className?: string;
  /** Called once when the target time passes. */
  onElapsed?: () => void;
}

export function Countdown({ target, kind, className, onElapsed }: Props) {
  const now = useNow();
  const remaining = Date.parse(target) - now;
  const elapsed = remaining <= 0;
  useEffect(() => {
    if (elapsed) onElapsed?.();
  }, [elapsed, onElapsed]);
  if (Number.isNaN(remaining)) return null;
  return (
    <p className={`countdown ${className ?? ''}`} role="timer" aria-live="off">
      <span className="countdown-label">
        {kind === 'opens' ? t.countdown.opensIn : t.countdown.closesIn}
      </span>{' '}
      <span className="countdown-value num">{formatRemaining(remaining)}</span>
    </p>
  );
}
