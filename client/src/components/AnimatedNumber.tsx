// A number that counts to its new value, in tabular figures so nothing around it moves.
import { useEffect, useRef, useState } from 'react';

function prefersMotion(): boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return false;
  return !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

interface Props {
  value: number;
  format?: (n: number) => string;
  durationMs?: number;
  className?: string;
}

export function AnimatedNumber({ value, format = String, durationMs = 600, className }: Props) {
  const [shown, setShown] = useState(value);
  const from = useRef(value);
  useEffect(() => {
    if (!prefersMotion()) {
      from.current = value;
      setShown(value);
      return;
    }
    const start = performance.now();
    const origin = from.current;
    let frame = 0;
    const step = (now: number) => {
      const k = Math.min(1, (now - start) / durationMs);
      const eased = 1 - Math.pow(1 - k, 3);
      const current = origin + (value - origin) * eased;
      from.current = current;
      setShown(current);
      if (k < 1) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [value, durationMs]);
  const isInt = Number.isInteger(value);
  const display = isInt ? Math.round(shown) : shown;
  return <span className={`num ${className ?? ''}`}>{format(display)}</span>;
}
