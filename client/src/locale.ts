// The chosen language as a locale for `Intl`: numbers, dates with the viewer's time zone named,
// and percentages. Kept apart from the strings so every translation can use them.
let current = 'en';

export function locale(): string {
  return current;
}

/** Called by `setLanguage` (i18n.ts) only. */
export function setLocale(next: string): void {
  current = next;
}

/** A number in the chosen language (1,234 · 1.234). */
export function num(n: number): string {
  return new Intl.NumberFormat(current).format(n);
}

/**
 * A date and time in the viewer's time zone, with the zone's name:
 * "Tue, Jan 5, 2030, 10:00 AM Philippine Standard Time".
 */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'long',
  }).format(d);
}
