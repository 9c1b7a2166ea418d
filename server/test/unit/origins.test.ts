// The cross-site check behind CSRF and socket hijacking defences: which requests may act with the
// session cookie.
import type { IncomingMessage } from 'node:http';
import { crossSiteReason, requestOrigin, requestScheme } from '../../src/origins';

const policy = { publicOrigins: ['https://vote.example.org'], trustProxy: 'loopback' };

function req(headers: Record<string, string>, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const viaNginx = {
  host: 'localhost',
  'x-forwarded-host': '10.0.0.5:8080',
  'x-forwarded-proto': 'http',
};

describe('cross-site check', () => {
  it.each([
    ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin', origin: 'http://x' }],
    ['Sec-Fetch-Site none (typed by the user)', { 'sec-fetch-site': 'none' }],
    ['the request’s own origin, port included', { origin: 'http://10.0.0.5:8080' }],
    [
      'a listed origin, even same-site',
      { origin: 'https://vote.example.org', 'sec-fetch-site': 'same-site' },
    ],
    ['no browser headers at all (curl, scripts)', {}],
  ])('allows %s', (_name, h) => {
    expect(crossSiteReason(req({ ...viaNginx, ...h }), policy)).toBeNull();
  });

  it.each([
    ['cross-site', { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }],
    [
      'same-site: another port of this host',
      { 'sec-fetch-site': 'same-site', origin: 'http://10.0.0.5:9999' },
    ],
    ['another port without Sec-Fetch-Site', { origin: 'http://10.0.0.5:9999' }],
    ['another scheme', { origin: 'https://10.0.0.5:8080' }],
    ['Origin null', { origin: 'null' }],
    ['Sec-Fetch-Site alone', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s', (_name, h) => {
    expect(crossSiteReason(req({ ...viaNginx, ...h }), policy)).toMatch(/not allowed|may not/);
  });

  it('believes X-Forwarded-* only from the trusted proxy', () => {
    const direct = req(viaNginx, '203.0.113.9');
    expect(requestScheme(direct, 'loopback')).toBe('http');
    expect(requestOrigin(direct, 'loopback')).toBe('http://localhost');
    const proxied = req({ ...viaNginx, 'x-forwarded-proto': 'https' });
    expect(requestScheme(proxied, 'loopback')).toBe('https');
    expect(requestOrigin(proxied, 'loopback')).toBe('https://10.0.0.5:8080');
    expect(
      crossSiteReason(req({ ...viaNginx, origin: 'http://10.0.0.5:8080' }, '203.0.113.9'), policy),
    ).not.toBeNull();
  });
});
