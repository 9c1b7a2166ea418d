import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { readJsonBody, isPlainJson } from '../../../src/http/json-body';

const LIMIT = 1024;
const json = express.json({ limit: LIMIT });

type Outcome = { body: unknown } | { type: unknown; status: unknown };

/** What each reader makes of one request: the body, or the error's type and status. */
async function outcomes(
  headers: Record<string, string>,
  payload: Buffer | string,
): Promise<{ ours: Outcome; bodyParser: Outcome; plain: boolean }> {
  const seen: Partial<Record<'ours' | 'bodyParser', Outcome>> = {};
  let plain = false;
  const server = http.createServer((req, res) => {
    const which = req.url === '/ours' ? 'ours' : 'bodyParser';
    const read =
      which === 'ours'
        ? ((plain = isPlainJson(req, LIMIT)), readJsonBody(req, res, json, LIMIT))
        : new Promise((resolve, reject) =>
            json(req as never, res as never, (err?: unknown) =>
              err ? reject(err as Error) : resolve((req as { body?: unknown }).body),
            ),
          );
    read
      .then(
        (body) => (seen[which] = { body }),
        (e: { type?: unknown; status?: unknown }) =>
          (seen[which] = { type: e.type, status: e.status }),
      )
      .finally(() => {
        // Like the app: answer, then read whatever body is left so the connection can be reused.
        req.resume();
        res.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  for (const path of ['/ours', '/bodyParser']) {
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ port, path, method: 'POST', headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      // Without a Content-Length the body goes chunked.
      if (headers['content-length'] === undefined) req.write(payload);
      req.end(headers['content-length'] === undefined ? undefined : payload);
    });
  }
  server.close();
  return { ours: seen.ours!, bodyParser: seen.bodyParser!, plain };
}

const sized = (payload: Buffer | string, h: Record<string, string>): Record<string, string> => ({
  'content-length': String(Buffer.byteLength(payload)),
  ...h,
});

describe('readJsonBody reads a JSON body as express.json() does', () => {
  const plainCases: Array<[string, string, string]> = [
    ['an object', 'application/json', '{"selections":{"p":["a"]}}'],
    ['an array', 'application/json', '[1,2]'],
    ['leading whitespace', 'application/json', ' \n\t{"a":1}'],
    ['a byte-order mark', 'application/json', '\ufeff{"a":1}'],
    ['an empty body', 'application/json', ''],
    ['only whitespace', 'application/json', '   '],
    ['a bare number (strict)', 'application/json', '1'],
    ['a bare string (strict)', 'application/json', '"x"'],
    ['broken JSON', 'application/json', '{"a":'],
    ['charset=utf-8', 'application/json; charset=utf-8', '{"a":"é"}'],
    ['charset="UTF-8"', 'Application/JSON;charset="UTF-8"', '{"a":"é"}'],
  ];
  test.each(plainCases)('itself: %s', async (_name, type, payload) => {
    const r = await outcomes(sized(payload, { 'content-type': type }), payload);
    expect(r.plain).toBe(true);
    expect(r.ours).toEqual(r.bodyParser);
  });

  const otherCases: Array<[string, Record<string, string>, Buffer | string]> = [
    ['another charset', { 'content-type': 'application/json; charset=latin1' }, '{"a":1}'],
    [
      'gzip',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync('{"a":1}'),
    ],
    ['no content type', {}, '{"a":1}'],
    ['text/plain', { 'content-type': 'text/plain' }, '{"a":1}'],
    ['over the limit', { 'content-type': 'application/json' }, `{"a":"${'x'.repeat(LIMIT)}"}`],
  ];
  test.each(otherCases)('through body-parser: %s', async (_name, h, payload) => {
    const r = await outcomes(sized(payload, h), payload);
    expect(r.plain).toBe(false);
    expect(r.ours).toEqual(r.bodyParser);
  });

  test('through body-parser: a chunked body', async () => {
    const r = await outcomes({ 'content-type': 'application/json' }, '{"a":1}');
    expect(r.plain).toBe(false);
    expect(r.ours).toEqual({ body: { a: 1 } });
    expect(r.ours).toEqual(r.bodyParser);
  });
});
