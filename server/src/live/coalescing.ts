// Pure pieces of the broadcast rules: at most one emit per election per interval, and versions
// that never go backwards. Used by the cluster publisher and the per-node fallback alike.

/**
 * Spaces emits of one key at least `intervalMs` apart: a fixed interval, or one that changes with
 * time (the frame budget stretches it under load).
 */
export class EmitSpacing {
  private readonly last = new Map<string, number>();
  private readonly interval: (now: number, key: string) => number;

  /** A fixed interval, or one asked for per key and time. */
  constructor(intervalMs: number | ((now: number, key: string) => number)) {
    this.interval = typeof intervalMs === 'number' ? () => intervalMs : intervalMs;
  }

  due(key: string, now: number): boolean {
    return this.remaining(key, now) === 0;
  }

  /** Milliseconds until the key may emit again (0 when due). */
  remaining(key: string, now: number): number {
    const at = this.last.get(key);
    return at === undefined ? 0 : Math.max(0, at + this.interval(now, key) - now);
  }

  emitted(key: string, now: number): void {
    this.last.set(key, now);
  }

  /** When the key last emitted (as recorded), if ever. */
  lastAt(key: string): number | undefined {
    return this.last.get(key);
  }
}

/**
 * Remembers the highest version emitted per key. A higher version passes; an equal one passes only
 * when forced (the same counters, newly visible to a wider room after a status change); a lower
 * one never does. Keys quiet for long can be forgotten, so a node's memory follows the elections
 * that are live, not every election it ever served.
 */
export class VersionFloor {
  private readonly highest = new Map<string, { version: number; at: number }>();

  accept(key: string, version: number, force = false, now = Date.now()): boolean {
    const top = this.highest.get(key);
    if (top && (version < top.version || (version === top.version && !force))) return false;
    this.highest.set(key, { version, at: now });
    return true;
  }

  /** Drops the keys that passed no version for `idleMs`. */
  forgetIdle(now: number, idleMs: number): void {
    for (const [key, top] of this.highest) if (now - top.at > idleMs) this.highest.delete(key);
  }

  get size(): number {
    return this.highest.size;
  }
}
