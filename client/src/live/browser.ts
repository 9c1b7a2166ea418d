// The tab's one live connection: a random `cid` per tab, the voter token from storage (or an
// admin's session token held in memory), and the browser's online/offline events.
import { randomId, voterToken } from '../storage';
import { LiveClient, type NetworkSignal } from './client';

export const browserNetwork: NetworkSignal = {
  isOffline: () => typeof navigator !== 'undefined' && navigator.onLine === false,
  watch: ({ offline, online }) => {
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
  },
};

/** A session token held in memory only (admin sign-in), preferred over the voter token. */
let sessionToken: string | null = null;

let client: LiveClient | null = null;

/** The tab's connection, created on first use. */
export function getLive(): LiveClient {
  client ??= new LiveClient({
    cid: randomId(),
    token: () => sessionToken ?? voterToken.get(),
    network: browserNetwork,
  });
  return client;
}

export function setSessionToken(token: string | null): void {
  sessionToken = token;
  if (client) client.reauthenticate();
}
