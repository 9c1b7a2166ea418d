// Pure pieces of the broadcast rules: at most one emit per election per interval, and versions
// that never go backwards. Used by the cluster publisher and the per-node fallback alike.

/** Spaces emits of one key at least `intervalMs` apart. */
export class EmitSpacing {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  due(key: string, now: number): boolean {
    const at = this.last.get(key);
    return at === undefined || now - at >= this.intervalMs;
  }

  /** Milliseconds until the key may emit again (0 when due). */
  remaining(key: string, now: number): number {
    const at = this.last.get(key);
    return at === undefined ? 0 : Math.max(0, at + this.intervalMs - now);
  }

  emitted(key: string, now: number): void {
    this.last.set(key, now);
  }
}

/**
 * Remembers the highest version emitted per key. A higher version passes; an equal one passes only
 * when forced (the same counters, newly visible to a wider room after a status change); a lower
 * one never does.
 */
export class VersionFloor {
  private readonly highest = new Map<string, number>();

  accept(key: string, version: number, force = false): boolean {
    const top = this.highest.get(key);
    if (top !== undefined && (version < top || (version === top && !force))) return false;
    this.highest.set(key, version);
    return true;
  }
}
