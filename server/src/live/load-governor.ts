// The frame budget follows the machine. TALLY_FRAME_BUDGET is a ceiling measured on one machine
// type; a slower machine, or one whose cores are shared (with a database, a load generator, a
// noisy neighbour), saturates below it, and then ballot acks wait behind tally frames. So every
// node measures how busy its event loop is (the share of the last second it spent running rather
// than waiting: Node's event-loop utilisation), shares it through Redis, and the budget in force
// moves with the busiest node: down by a factor while any node is past `high`, up while every node
// is under `low` (between the two it holds), as TCP finds a link's rate. And as TCP grows only a
// window the sender fills, the budget grows only while it is what holds tallies back: a quiet
// machine says nothing about frames it is not sending. A budget left to creep up while unused was
// tried: a crowd that waited 20 s for voting to open let it double, and voting opened on a machine
// that could not send that much (the first acks waited seconds for the decrease to catch up). So
// voting starts from the budget the machine last showed it could afford (after a crowd's arrival,
// about the floor) and climbs: by half of itself a step while every node is quiet (under `quiet`,
// as TCP's slow start), by a twentieth of the ceiling while merely under `low`. It never goes under
// a floor (an eighth of the ceiling by default): fan-out slows, it does not stop, and a close still
// goes out at once (a forced publish skips the spacing).
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { RedisClient } from '../redis';
import type { Logger } from '../log';
import { keys, runScript } from './redis-scripts';

export interface GovernorOptions {
  /** The configured budget, frames/s: the most the governor ever allows. 0 = no budget at all. */
  ceiling: number;
  /** Event-loop utilisation (0-1) of the busiest node past which the budget shrinks; 0 = off. */
  high: number;
  /** Under this (every node) the budget grows again. @default high − 0.2 */
  low?: number;
  /** The least the budget shrinks to. @default ceiling / 8 */
  floor?: number;
  /** Factor applied per step while past `high`. @default 0.7 */
  decrease?: number;
  /** Share of the ceiling added per step while under `low` and binding. @default 0.05 */
  increase?: number;
  /** Under this (every node) and binding, the budget grows by a factor instead. @default low / 2 */
  quiet?: number;
  /** Factor applied per step while quiet and binding (when more than `increase`). @default 1.5 */
  quickGrowth?: number;
}

/** The budget in force, stepped once per period with the busiest node's utilisation. Pure. */
export class LoadGovernor {
  private current: number;

  constructor(private readonly o: GovernorOptions) {
    this.current = o.ceiling;
  }

  get enabled(): boolean {
    return this.o.high > 0 && this.o.ceiling > 0;
  }

  /** Frames per second allowed now. */
  get framesPerSecond(): number {
    return this.current;
  }

  /**
   * `binding`: the budget held tallies back during the last period. Only then does a low load say
   * anything about a larger budget (the frames it allows are being sent).
   */
  step(load: number, binding: boolean): number {
    if (!this.enabled || !Number.isFinite(load)) return this.current;
    const { ceiling, high } = this.o;
    const low = this.o.low ?? high - 0.2;
    const floor = Math.min(ceiling, Math.max(1, this.o.floor ?? Math.ceil(ceiling / 8)));
    if (load >= high) {
      this.current = Math.max(floor, Math.floor(this.current * (this.o.decrease ?? 0.7)));
    } else if (load <= low && binding) {
      let next = this.current + Math.ceil(ceiling * (this.o.increase ?? 0.05));
      if (load <= (this.o.quiet ?? low / 2)) {
        next = Math.max(next, Math.floor(this.current * (this.o.quickGrowth ?? 1.5)));
      }
      this.current = Math.min(ceiling, next);
    }
    return this.current;
  }
}

/** This node's event-loop utilisation since the last sample (0-1). */
export class LoopLoad {
  private last: EventLoopUtilization = performance.eventLoopUtilization();

  sample(): number {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, this.last);
    this.last = now;
    return utilization;
  }
}

export interface ClusterLoadOptions {
  redis: RedisClient;
  up: () => boolean;
  nodeId: string;
  log: Logger;
  governor: LoadGovernor;
  /** Told the budget after every step. */
  apply: (framesPerSecond: number) => void;
  /** The budget held tallies back within the last `ms` (FrameBudget.boundWithin). */
  binding: (ms: number) => boolean;
  /** How often each node samples and shares its load, and the governor steps. @default 1000 */
  everyMs: number;
}

/**
 * Samples this node's load every period, writes it to Redis and reads back the busiest live
 * node's (an entry lives three periods: a node gone stops counting), then steps the governor.
 * Without Redis a node goes by its own load (it publishes for its own viewers then).
 */
export class ClusterLoad {
  private readonly loop = new LoopLoad();
  private timer?: NodeJS.Timeout;
  private busiest = 0;

  constructor(private readonly o: ClusterLoadOptions) {}

  /** The busiest node's utilisation as last seen (this node's own while degraded). */
  get load(): number {
    return this.busiest;
  }

  start(): void {
    if (!this.o.governor.enabled) return;
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.o.log.debug({ err }, 'load share failed'));
    }, this.o.everyMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    const own = this.loop.sample();
    let load = own;
    if (this.o.up()) {
      try {
        // The script writes ours and answers with the busiest unexpired entry, ours included.
        const args = [this.o.nodeId, own.toFixed(3), 3 * this.o.everyMs];
        load = Number(await runScript(this.o.redis, 'load', [keys.load], args));
      } catch {
        // Redis failed mid-call: this node's own load until it answers again.
      }
    }
    this.busiest = load;
    const before = this.o.governor.framesPerSecond;
    const after = this.o.governor.step(load, this.o.binding(2 * this.o.everyMs));
    if (after !== before) {
      this.o.log.debug({ load, framesPerSecond: after }, 'frame budget follows the load');
    }
    this.o.apply(after);
  }
}
