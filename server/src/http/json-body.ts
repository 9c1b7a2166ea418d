// A JSON request body read without body-parser's machinery (type-is, raw-body, an iconv decoder,
// five stream listeners) for the one shape nearly every ballot has: `application/json` in UTF-8,
// a Content-Length within the limit, no Content-Encoding. Any other request is read by
// body-parser itself (the same middleware the Express routes use), so it answers as before.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** What `express.json()` accepts without a charset or with UTF-8 (its default type). */
const PLAIN_JSON =
  /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/** body-parser's strict mode: a JSON text must start with an object or an array. */
const FIRST_NON_WHITESPACE = /^[ \t\n\r]*([^ \t\n\r]|$)/;

/** The error body-parser raises for a body that is not JSON (errors.ts maps it to `bad_json`). */
function parseFailed(cause: unknown): Error {
  return Object.assign(new SyntaxError('the body is not valid JSON', { cause }), {
    type: 'entity.parse.failed',
    status: 400,
    expose: true,
  });
}

/** JSON.parse as body-parser's strict parser does it: empty is `{}`, a BOM is dropped. */
export function parseStrictJson(text: string): unknown {
  if (text.length === 0) return {};
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = FIRST_NON_WHITESPACE.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw parseFailed(undefined);
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw parseFailed(e);
  }
}

/** Whether `req` has the plain shape `readJsonBody` reads itself, within `limit` bytes. */
export function isPlainJson(req: IncomingMessage, limit: number): boolean {
  const h = req.headers;
  const length = h['content-length'];
  return (
    h['transfer-encoding'] === undefined &&
    h['content-encoding'] === undefined &&
    length !== undefined &&
    /^\d{1,9}$/.test(length) &&
    Number(length) <= limit &&
    PLAIN_JSON.test(h['content-type'] ?? '')
  );
}

/**
 * The request's JSON body, as `json` (an `express.json()` middleware with a `limit` bytes) would
 * leave it in `req.body`; its errors are body-parser's, for errors.ts to map.
 */
export function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  json: RequestHandler,
  limit: number,
): Promise<unknown> {
  if (!isPlainJson(req, limit)) {
    return new Promise((resolve, reject) => {
      const r = req as IncomingMessage & { body?: unknown };
      // body-parser wants Express's types; it reads only what node:http gives.
      json(r as never, res as never, (err?: unknown) =>
        err === undefined ? resolve(r.body) : reject(err as Error),
      );
    });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', reject);
    // raw-body's answer to a client that hangs up mid-body: a 400 nobody reads, not a 500.
    req.once('aborted', () =>
      reject(
        Object.assign(new Error('request aborted'), {
          type: 'request.aborted',
          status: 400,
          expose: true,
        }),
      ),
    );
    req.once('end', () => {
      try {
        const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        resolve(parseStrictJson(raw.toString('utf8')));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}
