// HTTP as the load generator speaks it: node:http with one keep-alive agent per local source
// address (several times cheaper per request than fetch on the two cores it shares with the
// target, and the way past one address's ~28,000 ephemeral ports), JSON in and out.
import http from 'node:http';
import https from 'node:https';

const agents = new Map<string, http.Agent>();

/**
 * The keep-alive agent bound to `source` (also given to socket.io-client for its sockets);
 * without one, the system chooses the address.
 */
export function agentFor(url: string, source: string | undefined): http.Agent {
  const key = `${url.startsWith('https:') ? 's' : ''}${source ?? ''}`;
  let a = agents.get(key);
  if (!a) {
    const opts = { keepAlive: true, maxSockets: 256, localAddress: source };
    a = url.startsWith('https:') ? new https.Agent(opts) : new http.Agent(opts);
    agents.set(key, a);
  }
  return a;
}

export interface JsonAnswer<T> {
  status: number;
  body: T | null;
  /** The error code of a `{"error":{"code"}}` body, when there is one. */
  code: string | null;
}

export function requestJson<T>(
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; source?: string; headers?: Record<string, string> } = {},
): Promise<JsonAnswer<T>> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method, headers, agent: agentFor(url, opts.source), timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            body = null;
          }
          const code =
            (body as { error?: { code?: unknown } } | null)?.error?.code ?? res.statusCode;
          resolve({
            status: res.statusCode ?? 0,
            body: (res.statusCode ?? 0) < 300 ? (body as T) : null,
            code: (res.statusCode ?? 0) < 300 ? null : String(code),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The answer's body, or an error naming the call and the status. */
export async function expectJson<T>(
  method: string,
  url: string,
  opts: Parameters<typeof requestJson>[2] = {},
): Promise<T> {
  const a = await requestJson<T>(method, url, opts);
  if (a.status >= 300 || a.body === null) {
    throw new Error(`${method} ${url} → ${a.status} ${a.code ?? ''}`);
  }
  return a.body;
}
