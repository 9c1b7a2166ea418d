// The report: what one run measured, the verdict on it, and how both read as a table (one run,
// or the reference and Tallyboard side by side with their ratio). Pure: numbers in, text out.

export interface Summary {
  p50: number | null;
  p99: number | null;
  max: number | null;
  samples: number;
}

/** What a run collected, before any judgement. */
export interface Measured {
  label: string;
  url: string;
  electionId: string;
  mode: 'admin' | 'public' | 'reference';
  sockets: {
    planned: number;
    attempted: number;
    /** Joined and still connected at the end. */
    held: number;
    connectFailures: number;
    /** Connect failures by reason, when the run knows them. */
    failureReasons?: Record<string, number>;
    disconnects: number;
  };
  ballots: {
    planned: number;
    attempted: number;
    acked: number;
    failed: number;
    failures: Record<string, number>;
    /** Acknowledged ballots per second over the casting phase. */
    ackedPerSecond: number;
  };
  ackMs: Summary;
  commitToViewerMs: Summary;
  /** Tally frames received, and the seconds from the first ballot to the end of the settle. */
  frames: number;
  frameSeconds: number;
  viewers: { count: number; reachedFinal: number; timeToAllFinalMs: number | null };
  tally: { expected: number; observed: number | null };
  /** Resident memory of the target's processes (MB), when they run on this machine. */
  rssMb: Record<string, number> | null;
  /** The same before the first socket opened. */
  rssBeforeMb: Record<string, number> | null;
  /**
   * The worst worker's event-loop delay p99 while casting: when it nears the latencies above,
   * they measure the load generator as much as the target.
   */
  generatorLoopDelayP99Ms: number;
  /**
   * The same for the process that casts the ballots when it holds no viewers (`--caster own`):
   * what the ack times carry of the generator. Absent when the viewers' workers cast.
   */
  casterLoopDelayP99Ms?: number;
  interrupted: boolean;
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

export interface Report extends Measured {
  framesPerViewerPerSecond: number;
  /** Growth of the target's RSS over the run per held socket, KB (local targets). */
  rssKbPerSocket: number | null;
  verdict: { pass: boolean; checks: Check[] };
}

const pct = (n: number): string => `${(n * 100).toFixed(n < 0.1 ? 2 : 1)}%`;

export function judge(m: Measured, maxFailures: number): Report {
  const sockFailed = m.sockets.connectFailures + m.sockets.disconnects;
  const sockRate = sockFailed / Math.max(m.sockets.planned, 1);
  const ballotRate = m.ballots.failed / Math.max(m.ballots.attempted, 1);
  const checks: Check[] = [
    {
      name: 'every viewer reached the final tally',
      pass: !m.interrupted && m.viewers.reachedFinal === m.viewers.count,
      detail: `${m.viewers.reachedFinal} of ${m.viewers.count}`,
    },
    {
      name: 'tally equals acked ballots',
      pass: m.tally.observed === m.tally.expected,
      detail: `tally ${m.tally.observed ?? 'unreadable'}, acked ${m.tally.expected}`,
    },
    {
      name: `socket failures ≤ ${pct(maxFailures)}`,
      pass: sockRate <= maxFailures && m.sockets.attempted === m.sockets.planned,
      detail: `${sockFailed} of ${m.sockets.planned} (${pct(sockRate)})`,
    },
    {
      name: `ballot failures ≤ ${pct(maxFailures)}`,
      pass: ballotRate <= maxFailures && m.ballots.attempted === m.ballots.planned,
      detail: `${m.ballots.failed} of ${m.ballots.attempted} (${pct(ballotRate)})`,
    },
  ];
  const total = (r: Record<string, number> | null): number | null =>
    r ? Object.values(r).reduce((a, b) => a + b, 0) : null;
  const after = total(m.rssMb);
  const rssGrowth = after === null ? null : after - (total(m.rssBeforeMb) ?? 0);
  return {
    ...m,
    framesPerViewerPerSecond: round(
      m.frames / Math.max(m.viewers.count, 1) / Math.max(m.frameSeconds, 0.001),
      2,
    ),
    rssKbPerSocket:
      rssGrowth !== null && m.sockets.held ? round((rssGrowth * 1024) / m.sockets.held, 1) : null,
    verdict: { pass: checks.every((c) => c.pass), checks },
  };
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

const int = (n: number | null): string =>
  n === null ? '–' : Math.round(n).toLocaleString('en-US');
const ms = (n: number | null): string => (n === null ? '–' : `${int(n)} ms`);

/** The rows of the table: [measure, value, number for ratios (lower or higher is better)]. */
function rows(r: Report): Array<[string, string, number | null]> {
  const failures = Object.entries(r.ballots.failures)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const why = Object.entries(r.sockets.failureReasons ?? {})
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const out: Array<[string, string, number | null]> = [
    [
      'sockets attempted / held',
      `${int(r.sockets.attempted)} / ${int(r.sockets.held)}`,
      r.sockets.held,
    ],
    [
      'connect failures / drops',
      `${int(r.sockets.connectFailures)}${why ? ` (${why})` : ''} / ${int(r.sockets.disconnects)}`,
      null,
    ],
    ['ballots attempted', int(r.ballots.attempted), r.ballots.attempted],
    [
      'ballots acked',
      `${int(r.ballots.acked)} (${int(r.ballots.ackedPerSecond)}/s)`,
      r.ballots.acked,
    ],
    ['ballots failed', `${int(r.ballots.failed)}${failures ? ` (${failures})` : ''}`, null],
    ['ballot ack p50 / p99', `${ms(r.ackMs.p50)} / ${ms(r.ackMs.p99)}`, r.ackMs.p99],
    ['commit-to-viewer p50', ms(r.commitToViewerMs.p50), r.commitToViewerMs.p50],
    ['commit-to-viewer p99', ms(r.commitToViewerMs.p99), r.commitToViewerMs.p99],
    [
      'tally frames per viewer per s',
      String(r.framesPerViewerPerSecond),
      r.framesPerViewerPerSecond,
    ],
    [
      'every viewer at the final tally',
      r.viewers.timeToAllFinalMs === null
        ? 'not reached'
        : `${ms(r.viewers.timeToAllFinalMs)} after the last ack`,
      r.viewers.timeToAllFinalMs,
    ],
  ];
  out.push(['load generator loop delay p99', ms(r.generatorLoopDelayP99Ms), null]);
  if (r.casterLoopDelayP99Ms !== undefined) {
    out.push(['ballot caster loop delay p99', ms(r.casterLoopDelayP99Ms), null]);
  }
  if (r.rssMb) {
    const parts = Object.entries(r.rssMb).map(([k, v]) => `${k} ${int(v)}`);
    out.push(['target RSS (MB)', parts.join(', '), null]);
    out.push([
      'target RSS growth per held socket',
      r.rssKbPerSocket === null ? '–' : `${r.rssKbPerSocket} KB`,
      r.rssKbPerSocket,
    ]);
  }
  return out;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function verdictText(r: Report): string {
  const head = `verdict (${r.label}): ${r.verdict.pass ? 'PASS' : 'FAIL'}${r.interrupted ? ' (interrupted: partial report)' : ''}`;
  return [
    head,
    ...r.verdict.checks.map((c) => `  ${c.pass ? '✓' : '✗'} ${c.name}: ${c.detail}`),
  ].join('\n');
}

export function renderReport(r: Report): string {
  return [
    table(
      ['measure', r.label],
      rows(r).map(([k, v]) => [k, v]),
    ),
    '',
    verdictText(r),
  ].join('\n');
}

/** A half of a `--compare-reference` run that gave no report (its target broke), and why. */
export interface Broken {
  label: string;
  broken: string;
}

export const isBroken = (s: Report | Broken): s is Broken => 'broken' in s;

/**
 * The exit status of a run's halves: 0 when every half that ran gave a report and its verdict
 * passed, 1 otherwise. A broken half (no report) counts as a failed verdict; the other half
 * still runs and its own verdict is printed.
 */
export function exitStatus(halves: Array<Report | Broken | null>): number {
  return halves.every((h) => h === null || (!isBroken(h) && h.verdict.pass)) ? 0 : 1;
}

/** Tallyboard over the reference, per measure (null where either is missing, zero or negative). */
export function ratios(
  reference: Report | Broken,
  tallyboard: Report,
): Record<string, number | null> {
  if (isBroken(reference)) return Object.fromEntries(rows(tallyboard).map(([k]) => [k, null]));
  const a = rows(reference);
  const b = rows(tallyboard);
  const out: Record<string, number | null> = {};
  a.forEach(([name, , ref], i) => {
    const tb = b[i]?.[2] ?? null;
    // A ratio of a negative or zero latency (a tally that beat its ack) says nothing.
    out[name] = ref !== null && ref > 0 && tb !== null && tb > 0 ? round(tb / ref, 2) : null;
  });
  return out;
}

export function renderComparison(reference: Report | Broken, tallyboard: Report): string {
  const r = ratios(reference, tallyboard);
  const b = rows(tallyboard);
  const a = isBroken(reference) ? b.map(([name]) => [name, '✗ no report']) : rows(reference);
  const body = b.map(([name, tb], i) => [
    name,
    a[i]?.[1] ?? '',
    tb,
    r[name] == null ? '' : `${r[name]}×`,
  ]);
  return [
    table(
      ['measure', isBroken(reference) ? 'reference (broke)' : 'reference', 'tallyboard', 'ratio'],
      body,
    ),
    '',
    isBroken(reference)
      ? `verdict (${reference.label}): FAIL (no report: ${reference.broken})`
      : verdictText(reference),
    verdictText(tallyboard),
  ].join('\n');
}
