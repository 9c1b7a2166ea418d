// Whether the presenter is moving the pointer: the board's controls show only then (or while
// they hold keyboard focus), so the projected picture stays clean.
import { useEffect, useState } from 'react';

/** How long the controls stay after the pointer stops. */
export const CONTROLS_IDLE_MS = 2500;

export function usePointerActive(): boolean {
  const [active, setActive] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wake = () => {
      setActive(true);
      clearTimeout(timer);
      timer = setTimeout(() => setActive(false), CONTROLS_IDLE_MS);
    };
    window.addEventListener('pointermove', wake);
    window.addEventListener('pointerdown', wake);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointermove', wake);
      window.removeEventListener('pointerdown', wake);
    };
  }, []);
  return active;
}
