// Who the client is, by address, for per-address limits: the one derivation both transports use.
// X-Forwarded-For counts only when the peer itself is a configured proxy (TRUST_PROXY: our nginx,
// 127.0.0.1 by default), and then only its last entry, the address that proxy saw: a client that
// sends its own X-Forwarded-For through nginx, or straight to a node, cannot pick its key.
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/** `TRUST_PROXY` as proxy-addr wants it: true/false, a hop count, or addresses/subnets. */
export function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/**
 * The trust function for `TRUST_PROXY`, compiled once (Express takes it as 'trust proxy' too).
 * An address list trusts the direct peer only (hop 0): one proxy in front, whose X-Forwarded-For
 * entry is the client. A proxy chain (a CDN before nginx) is nginx's job (its realip module).
 */
export function compileTrustProxy(value: string): TrustProxy {
  const v = parseTrustProxy(value);
  if (typeof v === 'boolean') return () => v;
  if (typeof v === 'number') return (_addr, hop) => hop < v;
  const proxies = proxyAddr.compile(v.split(',').map((s) => s.trim()));
  // Each request asks about its peer, and peers are few (the proxies, and whoever reaches a
  // node's port itself): an address is parsed and matched once, not per request (ipaddr.js's
  // parse was ~1% of a node's busy time on the ballot path). Bounded, for a port open to many.
  const known = new Map<string, boolean>();
  return (addr, hop) => {
    if (hop !== 0) return false;
    let trusted = known.get(addr);
    if (trusted === undefined) {
      if (known.size >= 10_000) known.clear();
      known.set(addr, (trusted = proxies(addr, hop)));
    }
    return trusted;
  };
}

const compiled = new Map<string, TrustProxy>();
function trustFor(trustProxy: string): TrustProxy {
  let trust = compiled.get(trustProxy);
  if (!trust) compiled.set(trustProxy, (trust = compileTrustProxy(trustProxy)));
  return trust;
}

/**
 * The client's address for `req` under the `TRUST_PROXY` setting: the peer itself unless it is a
 * trusted proxy, then the X-Forwarded-For entry that proxy wrote.
 */
export function clientAddress(req: IncomingMessage, trustProxy: string): string {
  if (!req.socket.remoteAddress) return '?';
  return proxyAddr(req, trustFor(trustProxy));
}

/**
 * Whether `req` came through the public edge (a trusted proxy that forwarded it) rather than
 * straight to this node's own port: operator endpoints answer only the latter.
 */
export function forwardedByProxy(req: IncomingMessage, trustProxy: string): boolean {
  const peer = req.socket.remoteAddress;
  return !!peer && req.headers['x-forwarded-for'] !== undefined && trustFor(trustProxy)(peer, 0);
}
