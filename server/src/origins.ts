// Whether a request comes from a page of ours: the one cross-site check behind cookie-
// authenticated REST changes (CSRF) and cookie-authenticated sockets (cross-site WebSocket
// hijacking). Browsers mark every cross-origin request with `Origin` and, in secure contexts,
// `Sec-Fetch-Site`; a page elsewhere cannot forge either. The request's own origin is read from
// what the trusted proxy forwards (X-Forwarded-Proto / X-Forwarded-Host), like Express does.
import type { IncomingMessage } from 'node:http';
import { compileTrustProxy, type TrustProxy } from './client-address';

export interface OriginPolicy {
  /** Origins besides the request's own whose pages may act with the cookie (`PUBLIC_ORIGINS`). */
  publicOrigins: readonly string[];
  /** `TRUST_PROXY`: whose X-Forwarded-Proto and X-Forwarded-Host are believed. */
  trustProxy: string;
}

const compiled = new Map<string, TrustProxy>();

function trusts(req: IncomingMessage, trustProxy: string): boolean {
  let trust = compiled.get(trustProxy);
  if (!trust) compiled.set(trustProxy, (trust = compileTrustProxy(trustProxy)));
  const peer = req.socket.remoteAddress;
  return !!peer && trust(peer, 0);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first?.split(',')[0]?.trim() || undefined;
};

/** 'https' or 'http' as the client used it: X-Forwarded-Proto only from a trusted proxy. */
export function requestScheme(req: IncomingMessage, trustProxy: string): 'http' | 'https' {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (trusts(req, trustProxy)) {
    const proto = header(req, 'x-forwarded-proto')?.toLowerCase();
    if (proto === 'https' || proto === 'http') return proto;
  }
  return encrypted ? 'https' : 'http';
}

/** The origin the client addressed (`scheme://host:port`), or null without a Host. */
export function requestOrigin(req: IncomingMessage, trustProxy: string): string | null {
  const host =
    (trusts(req, trustProxy) ? header(req, 'x-forwarded-host') : undefined) ?? req.headers.host;
  if (!host) return null;
  try {
    return new URL(`${requestScheme(req, trustProxy)}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Why `req` must not act with the session cookie, or null when it may:
 * - an Origin listed in PUBLIC_ORIGINS may;
 * - `Sec-Fetch-Site` (sent by current browsers in secure contexts) must be `same-origin` or
 *   `none` (typed by the user); `same-site` is refused, since a site spans ports and subdomains;
 * - without it (plain HTTP to an address other than localhost, older browsers), `Origin`, when
 *   sent, must be the request's own origin;
 * - a request with neither header is not from a browser page (curl, scripts) and may.
 */
export function crossSiteReason(req: IncomingMessage, policy: OriginPolicy): string | null {
  const origin = header(req, 'origin');
  if (origin && policy.publicOrigins.includes(origin)) return null;
  const site = header(req, 'sec-fetch-site')?.toLowerCase();
  if (site === 'same-origin' || site === 'none') return null;
  if (site) return `a ${site} request may not use the session cookie`;
  if (!origin) return null;
  if (origin === requestOrigin(req, policy.trustProxy)) return null;
  return `origin ${origin.slice(0, 100)} is not allowed to use the session cookie`;
}
