// Who the client is, by address, for per-address limits: the one derivation both transports use.
// Behind a trusted proxy (TRUST_PROXY: `loopback` by default, i.e. our nginx) the address comes
// from X-Forwarded-For, walked with the same rules Express applies to `req.ip` (proxy-addr).
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/** `TRUST_PROXY` as proxy-addr wants it: true/false, a hop count, or addresses/names (`loopback`). */
export function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** The trust function for `TRUST_PROXY`, compiled once (Express takes it as 'trust proxy' too). */
export function compileTrustProxy(value: string): TrustProxy {
  const v = parseTrustProxy(value);
  if (typeof v === 'boolean') return () => v;
  if (typeof v === 'number') return (_addr, hop) => hop < v;
  return proxyAddr.compile(v.split(',').map((s) => s.trim()));
}

const compiled = new Map<string, TrustProxy>();

/**
 * The client's address for `req` under the `TRUST_PROXY` setting: the peer itself unless it is a
 * trusted proxy, then the first untrusted hop of X-Forwarded-For.
 */
export function clientAddress(req: IncomingMessage, trustProxy: string): string {
  if (!req.socket.remoteAddress) return '?';
  let trust = compiled.get(trustProxy);
  if (!trust) compiled.set(trustProxy, (trust = compileTrustProxy(trustProxy)));
  return proxyAddr(req, trust);
}
