// One node of the bare reference cluster: node:http + Socket.IO 4.8 + the Redis adapter, no
// database, no framework. It answers the minimal public protocol the load tester speaks (voter
// token, election by code, join, cast with ack over the socket or REST, results) for one fixed
// election, keeps ballots and counts in Redis (one ballot per voter token, SET NX), and node 1
// publishes the tally cluster-wide at most 10 times a second, as Tallyboard's leader does.
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const port = Number(process.env.REF_PORT);
const nodeId = process.env.REF_NODE_ID ?? 'ref';
const secret = process.env.REF_SECRET ?? 'reference';
const redisUrl = process.env.REF_REDIS_URL ?? 'redis://127.0.0.1:6379';
const publisher = process.env.REF_PUBLISHER === '1';

export const REFERENCE_ELECTION = {
  id: 'reference',
  joinCode: 'REFLOAD',
  title: 'reference',
  access: 'open',
  resultsVisibility: 'live',
  status: 'open',
  opensAt: null,
  closesAt: null,
  positions: [
    {
      id: 'chair',
      title: 'Chair',
      maxSelections: 1,
      winners: 1,
      candidates: ['ada', 'grace', 'edsger'].map((id) => ({ id, name: id })),
    },
  ],
};
const candidateIds = new Set(REFERENCE_ELECTION.positions[0]!.candidates.map((c) => c.id));
const room = `e:${REFERENCE_ELECTION.id}`;

const redis = new Redis(redisUrl);
const sign = (id: string): string => createHmac('sha256', secret).update(id).digest('base64url');
const voterOf = (token: unknown): string | null => {
  if (typeof token !== 'string') return null;
  const [id, mac] = token.split('.');
  return id && mac === sign(id) ? id : null;
};

async function results(): Promise<Record<string, unknown>> {
  const [[, counts], [, ballots], [, version]] = (await redis
    .multi()
    .hgetall('ref:counts')
    .get('ref:ballots')
    .get('ref:version')
    .exec()) as [[null, Record<string, string>], [null, string | null], [null, string | null]];
  const votes = [...candidateIds].map((id) => ({ id, votes: Number(counts[id] ?? 0) }));
  const top = Math.max(...votes.map((v) => v.votes));
  return {
    electionId: REFERENCE_ELECTION.id,
    version: Number(version ?? 0),
    ballots: Number(ballots ?? 0),
    blank: 0,
    final: false,
    positions: [
      {
        id: 'chair',
        abstained: 0,
        blank: 0,
        candidates: votes.map((v) => ({
          ...v,
          rank: votes.filter((o) => o.votes > v.votes).length + 1,
          winner: v.votes === top && top > 0,
          tied: votes.filter((o) => o.votes === v.votes).length > 1,
        })),
      },
    ],
  };
}

type CastAnswer = { ok: true; receipt: string } | { ok: false; code: string; status: number };

async function cast(
  voter: string | null,
  electionId: unknown,
  selections: unknown,
): Promise<CastAnswer> {
  if (!voter) return { ok: false, code: 'unauthorized', status: 401 };
  if (electionId !== REFERENCE_ELECTION.id) return { ok: false, code: 'not_found', status: 404 };
  const chosen = (selections as Record<string, unknown> | null)?.chair;
  if (!Array.isArray(chosen) || chosen.length !== 1 || !candidateIds.has(String(chosen[0]))) {
    return { ok: false, code: 'invalid', status: 422 };
  }
  if ((await redis.set(`ref:voted:${voter}`, '1', 'NX')) !== 'OK') {
    return { ok: false, code: 'already_voted', status: 409 };
  }
  await redis
    .multi()
    .hincrby('ref:counts', String(chosen[0]), 1)
    .incr('ref:ballots')
    .incr('ref:version')
    .exec();
  return { ok: true, receipt: randomUUID().slice(0, 13).toUpperCase() };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-served-by': nodeId,
  });
  res.end(text);
}

const error = (res: http.ServerResponse, status: number, code: string): void =>
  json(res, status, { error: { code, message: code } });

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const e = REFERENCE_ELECTION;
    if (req.method === 'POST' && url === '/api/voters') {
      const id = randomUUID();
      return json(res, 201, { voterToken: `${id}.${sign(id)}` });
    }
    if (req.method === 'GET' && url === `/api/elections/by-code/${e.joinCode}/lobby`) {
      return json(res, 200, { id: e.id, joinCode: e.joinCode, status: e.status, canEnter: true });
    }
    if (req.method === 'GET' && url === `/api/elections/${e.id}`) return json(res, 200, e);
    if (req.method === 'GET' && url === `/api/elections/${e.id}/results`) {
      return void results().then(
        (r) => json(res, 200, r),
        () => error(res, 503, 'unavailable'),
      );
    }
    const ballot = /^\/api\/elections\/([^/]+)\/ballots$/.exec(url);
    if (req.method === 'POST' && ballot) {
      let body: { selections?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return error(res, 400, 'bad_json');
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      return void cast(voterOf(token), ballot[1], body.selections).then(
        (a) => (a.ok ? json(res, 201, { receipt: a.receipt }) : error(res, a.status, a.code)),
        () => error(res, 503, 'unavailable'),
      );
    }
    error(res, 404, 'not_found');
  });
});

const io = new Server(server, { path: '/socket.io/', serveClient: false, cors: { origin: true } });
io.adapter(createAdapter(redis.duplicate(), redis.duplicate()));
io.engine.on('headers', (headers: Record<string, string>) => (headers['x-served-by'] = nodeId));

io.on('connection', (socket) => {
  const voter = voterOf((socket.handshake.auth as { token?: unknown }).token);
  socket.on('election:join', (req: { electionId?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function') return;
    if (req?.electionId !== REFERENCE_ELECTION.id) {
      return ack({ ok: false, error: { code: 'not_found', message: 'not found' } });
    }
    void socket.join(room);
    void results().then((r) =>
      ack({
        ok: true,
        status: 'open',
        results: r,
        presence: 0,
        election: {
          electionId: REFERENCE_ELECTION.id,
          status: 'open',
          opensAt: null,
          closesAt: null,
        },
      }),
    );
  });
  socket.on('ballot:cast', (req: { electionId?: unknown; selections?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function') return;
    void cast(voter, req?.electionId, req?.selections).then(
      (a) =>
        ack(
          a.ok
            ? { ok: true, receipt: a.receipt }
            : { ok: false, error: { code: a.code, message: a.code } },
        ),
      () => ack({ ok: false, error: { code: 'unavailable', message: 'unavailable' } }),
    );
  });
});

if (publisher) {
  // Poll the version every 25 ms; emit at most every 100 ms, and always the latest state.
  let sent = 0;
  let lastEmit = 0;
  let busy = false;
  setInterval(() => {
    if (busy || Date.now() - lastEmit < 100) return;
    busy = true;
    void redis
      .get('ref:version')
      .then(async (v) => {
        if (Number(v ?? 0) === sent) return;
        const r = await results();
        sent = r.version as number;
        lastEmit = Date.now();
        io.to(room).emit('tally', r);
      })
      .finally(() => (busy = false));
  }, 25);
}

// Longer than nginx keeps idle upstream connections, as Tallyboard's nodes do (main.ts): else
// nginx reuses a connection the node just closed and answers 502 to a POST it cannot retry.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  io.close();
  void redis.quit().finally(() => process.exit(0));
});
