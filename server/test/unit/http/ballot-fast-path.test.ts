import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { issueVoterToken } from '../../../src/accounts/tokens';
import type { Deps } from '../../../src/deps';
import { DomainError } from '../../../src/errors';
import { createApp } from '../../../src/http/app';
import { withBallotFastPath } from '../../../src/http/ballot-fast-path';
import { registerBallotRoute } from '../../../src/http/routes';

const SECRET = 'fast-path-test-secret-fast-path-test-secret';
const ELECTION = 'e0123456789abcdefghj';

interface Fakes {
  replayed?: boolean;
  limited?: boolean;
}

function fakeDeps(f: Fakes): Deps {
  const deps = {
    config: {
      nodeId: 'node-test',
      http: { trustProxy: 'loopback', publicOrigins: [] },
      session: { secret: SECRET },
    },
    log: pino({ level: 'silent' }),
    master: {},
    limits: {
      consumeAll: async () => {
        if (f.limited) {
          throw new DomainError('rate_limited', 'too many requests; slow down', {
            limit: 'ballotsPerIp',
            retryAfterSeconds: 7,
          });
        }
      },
    },
    ballots: {
      cast: async () => ({ receipt: 'ABCD-EFGH-JKMN-PQRS', replayed: f.replayed === true }),
    },
  };
  return deps as unknown as Deps;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** One request to a server that is the Express app alone, or the app behind the fast path. */
async function ask(
  fast: boolean,
  f: Fakes,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ answer: Answer; reachedExpress: boolean }> {
  const deps = fakeDeps(f);
  const app = createApp(deps, { early: (a, json) => registerBallotRoute(a, json, deps) });
  let reachedExpress = false;
  const express: http.RequestListener = (req, res) => {
    reachedExpress = true;
    app(req, res);
  };
  const server = http.createServer(fast ? withBallotFastPath(deps, express) : express);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    // The id nginx would send, so both answers echo the same one.
    const sent = { 'x-request-id': 'req-1', ...headers };
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: sent,
      body,
    });
    const text = await res.text();
    const kept = [...res.headers].filter(([name]) => !['date', 'etag'].includes(name));
    return {
      answer: {
        status: res.status,
        body: text ? (JSON.parse(text) as unknown) : null,
        headers: Object.fromEntries(kept),
      },
      reachedExpress,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const bearer = (): Record<string, string> => ({
  authorization: `Bearer ${issueVoterToken(SECRET, 1)}`,
  'content-type': 'application/json',
  'x-request-id': 'req-1',
});
const ballot = JSON.stringify({ selections: { p1: ['c1'] } });

describe('the ballot fast path answers as the Express route does', () => {
  const cases: Array<[string, Fakes, string, () => Record<string, string>, string]> = [
    ['a ballot (201)', {}, `/api/elections/${ELECTION}/ballots`, bearer, ballot],
    ['a retry (200)', { replayed: true }, `/api/elections/${ELECTION}/ballots`, bearer, ballot],
    [
      'a query string',
      {},
      `/api/elections/${ELECTION}/ballots?x=1`,
      () => ({ ...bearer(), 'idempotency-key': 'k-1' }),
      ballot,
    ],
    [
      'no token (401)',
      {},
      `/api/elections/${ELECTION}/ballots`,
      () => ({ 'content-type': 'application/json' }),
      ballot,
    ],
    [
      'a forged token (401)',
      {},
      `/api/elections/${ELECTION}/ballots`,
      () => ({ ...bearer(), authorization: 'Bearer tb1.x.y' }),
      ballot,
    ],
    ['broken JSON (400)', {}, `/api/elections/${ELECTION}/ballots`, bearer, '{"selections":'],
    [
      'text/plain (422)',
      {},
      `/api/elections/${ELECTION}/ballots`,
      () => ({ ...bearer(), 'content-type': 'text/plain' }),
      ballot,
    ],
    ['no selections (422)', {}, `/api/elections/${ELECTION}/ballots`, bearer, '{"x":1}'],
    [
      'an Idempotency-Key too long (422)',
      {},
      `/api/elections/${ELECTION}/ballots`,
      () => ({ ...bearer(), 'idempotency-key': 'k'.repeat(1000) }),
      ballot,
    ],
    [
      'a cookie from another site (403)',
      {},
      `/api/elections/${ELECTION}/ballots`,
      () => ({
        'content-type': 'application/json',
        cookie: `tb_session=${issueVoterToken(SECRET, 1)}`,
        origin: 'https://evil.example',
      }),
      ballot,
    ],
    ['rate limited (429)', { limited: true }, `/api/elections/${ELECTION}/ballots`, bearer, ballot],
  ];

  test.each(cases)('%s', async (_name, f, path, headers, body) => {
    const ours = await ask(true, f, path, headers(), body);
    const express = await ask(false, f, path, headers(), body);
    expect(ours.reachedExpress).toBe(false);
    expect(ours.answer).toEqual(express.answer);
  });

  test.each([
    ['a trailing slash', `/api/elections/${ELECTION}/ballots/`],
    ['an encoded id', `/api/elections/e%41/ballots`],
    ['another route', `/api/elections/${ELECTION}/close`],
  ])('leaves %s to Express', async (_name, path) => {
    const ours = await ask(true, {}, path, bearer(), ballot);
    expect(ours.reachedExpress).toBe(true);
  });
});
