// The command line: every flag with its default and its help text in one table, parsed into one
// typed object. Pure (no I/O), so the rules are unit-tested: unknown flags and bad values are
// usage errors (exit 2), never silently ignored.

export type Transport = 'websocket' | 'polling';
export type CastPath = 'socket' | 'rest';
/** Who sends the ballots: a process of their own (no viewers), or the viewers' processes. */
export type Caster = 'own' | 'viewers';
/** A bare WebSocket speaking Socket.IO by hand (light), or socket.io-client (what apps use). */
export type Client = 'bare' | 'socketio';

/**
 * Sockets per local source address when the tool chooses them: bind() with port 0 searches half
 * of the ephemeral range for a free port, and past ~14,000 sockets on one address every new
 * socket costs a long search (a ramp stalls in kernel time); 6,000 keeps the search short.
 */
export const SOCKETS_PER_SOURCE = 6_000;

export interface Options {
  /** @default 'http://127.0.0.1:8080' */
  url: string;
  /** Join code of an existing election: act as the public does. */
  join: string | null;
  /** File of roll ballot codes, one per line (a `roll` election). */
  codes: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  /** A test stack's handle file (server/test/support/stack.ts): URL, admin login, local pids. */
  stack: string | null;
  /** @default 100 */
  connections: number;
  /** Sockets opened per second. @default 500 */
  ramp: number;
  /** Fraction of the connections that hold a voter identity and cast. @default 0.1 */
  voting: number;
  /** Ballots per second over the whole run. @default 10 */
  rate: number;
  /** Seconds of casting. @default 10 */
  duration: number;
  /**
   * Seconds to hold every socket between the ramp and the first ballot (pings only): a crowd
   * that gathers before voting opens, and a soak of the sockets held. @default 0
   */
  hold: number;
  /** @default 'websocket' */
  transport: Transport;
  /** @default 'bare' ('socketio' with polling) */
  client: Client;
  /** @default 'rest' */
  cast: CastPath;
  /**
   * Ballots from a worker process that hosts no viewers, so an ack's time is not delayed by frames
   * the same event loop decodes (the voters' tokens are handed to it), or from the viewers'
   * workers. `socket` casts go over the voter's own socket: always `viewers`.
   * @default 'own' with --cast rest, 'viewers' with --cast socket
   */
  caster: Caster;
  /** Child processes sharing the sockets (the caster is one more). @default ceil(connections / 5000) */
  workers: number;
  /**
   * Local source addresses, spread over sockets and requests. Empty: the system chooses.
   * @default a loopback target: 127.0.0.1, .2, … one per 6,000 sockets; otherwise empty
   */
  sources: string[];
  /** Longest wait after the last ack for every viewer to see the final tally, s. @default 15 */
  settle: number;
  /** Highest failed fraction of sockets and of ballots that still passes. @default 0.01 */
  maxFailures: number;
  /** Admin mode: close the election this many seconds into casting (a close under load). */
  closeAfter: number | null;
  compareReference: boolean;
  json: boolean;
  help: boolean;
}

interface FlagSpec {
  key: keyof Options;
  value: string | null; // null: a switch without a value
  help: string;
}

const flags: Record<string, FlagSpec> = {
  url: { key: 'url', value: 'URL', help: 'the deployment (default http://127.0.0.1:8080)' },
  join: {
    key: 'join',
    value: 'CODE',
    help: 'join code of an existing election: no secrets needed',
  },
  codes: {
    key: 'codes',
    value: 'FILE',
    help: 'roll ballot codes, one per line: each voter exchanges one for a token',
  },
  'admin-email': {
    key: 'adminEmail',
    value: 'EMAIL',
    help: 'admin login: the tool creates, opens and closes its own election',
  },
  'admin-password': { key: 'adminPassword', value: 'PASSWORD', help: 'with --admin-email' },
  stack: { key: 'stack', value: 'FILE', help: 'a test stack handle (URL, admin, local processes)' },
  connections: { key: 'connections', value: 'N', help: 'sockets to open and hold (100)' },
  ramp: { key: 'ramp', value: 'N', help: 'sockets opened per second (500)' },
  voting: {
    key: 'voting',
    value: 'F',
    help: 'fraction of the sockets that hold a voter token and cast (0.1); ballots beyond them come from new voters',
  },
  rate: { key: 'rate', value: 'N', help: 'ballots per second (10)' },
  duration: { key: 'duration', value: 'S', help: 'seconds of casting (10)' },
  hold: {
    key: 'hold',
    value: 'S',
    help: 'seconds to hold the sockets after the ramp before the first ballot (0)',
  },
  transport: { key: 'transport', value: 'websocket|polling', help: 'socket transport (websocket)' },
  client: {
    key: 'client',
    value: 'bare|socketio',
    help: 'viewers as bare WebSockets speaking Socket.IO by hand (bare: light, the default) or socket.io-client (socketio; always with polling)',
  },
  cast: {
    key: 'cast',
    value: 'socket|rest',
    help: 'ballot:cast with ack, or POST …/ballots (rest)',
  },
  caster: {
    key: 'caster',
    value: 'own|viewers',
    help: "who sends the ballots: a worker process of its own with no viewers (own, the default with --cast rest: ack times then do not wait on frame decoding) or the viewers' workers (viewers; always with --cast socket)",
  },
  workers: {
    key: 'workers',
    value: 'N',
    help: 'child processes sharing the sockets (one per 5,000; 20,000 fds per process here)',
  },
  sources: {
    key: 'sources',
    value: 'LIST',
    help: "local source addresses, e.g. 127.0.0.1-8 or 127.0.0.1,127.0.0.2; keep ~6,000 sockets per address (past ~14,000 the kernel's port search stalls the ramp). Default for a loopback --url: 127.0.0.1, .2, … one per 6,000 sockets; otherwise the system's address",
  },
  settle: { key: 'settle', value: 'S', help: 'wait after the last ack for the final tally (15)' },
  'max-failures': {
    key: 'maxFailures',
    value: 'F',
    help: 'highest failed fraction of sockets and of ballots that passes (0.01)',
  },
  'close-after': {
    key: 'closeAfter',
    value: 'S',
    help: 'admin mode: close the election S seconds into casting',
  },
  'compare-reference': {
    key: 'compareReference',
    value: null,
    help: 'run the same load against a bare Socket.IO + Redis cluster first, print ratios',
  },
  json: { key: 'json', value: null, help: 'print the report as JSON on stdout' },
  help: { key: 'help', value: null, help: 'this text' },
};

export class UsageError extends Error {}

export const defaults: Omit<Options, 'workers'> & { workers: number | null } = {
  url: 'http://127.0.0.1:8080',
  join: null,
  codes: null,
  adminEmail: null,
  adminPassword: null,
  stack: null,
  connections: 100,
  ramp: 500,
  voting: 0.1,
  rate: 10,
  duration: 10,
  hold: 0,
  transport: 'websocket',
  client: 'bare',
  cast: 'rest',
  caster: 'own',
  workers: null,
  sources: [],
  settle: 15,
  maxFailures: 0.01,
  closeAfter: null,
  compareReference: false,
  json: false,
  help: false,
};

/** `127.0.0.1-4` → four addresses; `a,b` → two; a mix of both is allowed. */
export function parseSources(list: string): string[] {
  const out: string[] = [];
  for (const part of list.split(',').filter(Boolean)) {
    const range = /^(\d+\.\d+\.\d+\.)(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[2]), Number(range[3])];
      if (from > to || to > 254) throw new UsageError(`bad address range ${part}`);
      for (let i = from; i <= to; i++) out.push(`${range[1]}${i}`);
    } else if (/^\d+\.\d+\.\d+\.\d+$/.test(part)) out.push(part);
    else throw new UsageError(`bad source address ${part}`);
  }
  if (!out.length) throw new UsageError('--sources needs at least one address');
  return out;
}

/** 127.0.0.1, .2, … one address per SOCKETS_PER_SOURCE sockets (at least one). */
export function defaultSources(connections: number): string[] {
  const n = Math.min(254, Math.max(1, Math.ceil(connections / SOCKETS_PER_SOURCE)));
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || /^127\./.test(host);
}

function number(name: string, raw: string, min: number, max = Infinity, int = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
    throw new UsageError(`--${name} wants ${int ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  }
  return n;
}

/** Parses argv (without node and the script); throws UsageError on anything it does not know. */
export function parseOptions(argv: string[]): Options {
  const o: Record<string, unknown> = { ...defaults };
  const given = new Set<keyof Options>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const spec = m ? flags[m[1]!] : undefined;
    if (!m || !spec) throw new UsageError(`unknown argument ${arg}`);
    const name = m[1]!;
    given.add(spec.key);
    if (spec.value === null) {
      if (m[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      o[spec.key] = true;
      continue;
    }
    const raw = m[2] ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value (${spec.value})`);
    o[spec.key] = raw;
  }
  const s = (k: keyof Options): string => String(o[k]);
  const opts: Options = {
    url: s('url').replace(/\/+$/, ''),
    join: (o.join as string | null) ?? null,
    codes: (o.codes as string | null) ?? null,
    adminEmail: (o.adminEmail as string | null) ?? null,
    adminPassword: (o.adminPassword as string | null) ?? null,
    stack: (o.stack as string | null) ?? null,
    connections: number('connections', s('connections'), 0, 1e6, true),
    ramp: number('ramp', s('ramp'), 1),
    voting: number('voting', s('voting'), 0, 1),
    rate: number('rate', s('rate'), 0),
    duration: number('duration', s('duration'), 0),
    hold: number('hold', s('hold'), 0),
    transport: s('transport') as Transport,
    client: s('client') as Client,
    cast: s('cast') as CastPath,
    caster: s('caster') as Caster,
    workers: 1,
    sources: Array.isArray(o.sources) ? (o.sources as string[]) : parseSources(s('sources')),
    settle: number('settle', s('settle'), 0),
    maxFailures: number('max-failures', s('maxFailures'), 0, 1),
    closeAfter: o.closeAfter == null ? null : number('close-after', s('closeAfter'), 0),
    compareReference: o.compareReference === true,
    json: o.json === true,
    help: o.help === true,
  };
  if (!/^https?:\/\/[^/]+$/.test(opts.url))
    throw new UsageError(`--url wants http(s)://host[:port]`);
  if (!['websocket', 'polling'].includes(opts.transport)) {
    throw new UsageError('--transport is websocket or polling');
  }
  if (!['socket', 'rest'].includes(opts.cast)) throw new UsageError('--cast is socket or rest');
  if (!['own', 'viewers'].includes(opts.caster)) throw new UsageError('--caster is own or viewers');
  if (opts.cast === 'socket') {
    if (given.has('caster') && opts.caster === 'own') {
      throw new UsageError('--cast socket casts over the voters’ own sockets: --caster viewers');
    }
    opts.caster = 'viewers';
  }
  if (!['bare', 'socketio'].includes(opts.client)) {
    throw new UsageError('--client is bare or socketio');
  }
  if (opts.transport === 'polling') {
    if (given.has('client') && opts.client === 'bare') {
      throw new UsageError('--client bare speaks WebSocket only: polling uses socketio');
    }
    opts.client = 'socketio';
  }
  if (!opts.sources.length && isLoopback(opts.url)) opts.sources = defaultSources(opts.connections);
  opts.workers =
    o.workers == null
      ? Math.max(1, Math.ceil(opts.connections / 5000))
      : number('workers', s('workers'), 1, 64, true);
  if ((opts.adminEmail === null) !== (opts.adminPassword === null)) {
    throw new UsageError('--admin-email and --admin-password go together');
  }
  if (opts.closeAfter !== null && opts.join !== null) {
    throw new UsageError('--close-after needs admin mode (not --join)');
  }
  return opts;
}

export function helpText(): string {
  const rows = Object.entries(flags).map(([name, f]) => {
    const left = `  --${name}${f.value ? ` ${f.value}` : ''}`;
    return `${left.padEnd(34)}${f.help}`;
  });
  return [
    'Usage: npm run loadtest -- [flags]',
    '',
    'Opens sockets against a Tallyboard deployment (through its nginx), joins one election as',
    'viewers, casts ballots at a steady rate and reports what the public would see: ballot acks,',
    'commit-to-viewer latency, frames per viewer, whether every viewer got the final tally.',
    '',
    '  Public (no secrets):  --url URL --join CODE [--codes FILE for a roll election]',
    '  Own election:         --admin-email E --admin-password P, or ADMIN_EMAIL/ADMIN_PASSWORD',
    '                        from the environment or ./.env when run beside the stack',
    '',
    ...rows,
    '',
    'Exit status: 0 the verdict passed, 1 it failed, 2 a usage error, 3 the target could not be used.',
    'With --compare-reference both verdicts must pass; a reference that breaks (no report) is a',
    "failed verdict (1), and Tallyboard's half still runs and prints its own.",
    'The tool raises its own open-file limit to the hard limit (20,000 per process here); past',
    "that, --workers spreads sockets over processes, and --sources past one address's ports",
    "(~6,000 sockets per address keeps the kernel's port search short).",
  ].join('\n');
}
