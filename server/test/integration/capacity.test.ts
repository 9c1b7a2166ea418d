// The capacity settings of the edge on the run's stack: nginx reaches the nodes' socket path from
// several loopback source addresses (one has ~28,000 ephemeral ports per node port), and sockets
// work through every one of them. Capacity itself is measured by bench/capacity.sh.
import { execFileSync } from 'node:child_process';
import { getStack } from '../support';
import { openNewElection, signInAdmin } from '../support/elections';
import { closeAllViewers, connectViewers, waitFor } from './live-helpers';

const stack = getStack();
afterEach(closeAllViewers);

/** Source addresses of established connections to the nodes' ports (ss, as root or not). */
function sourcesToNodes(): Map<string, number> {
  const out = execFileSync('ss', ['-Htn', 'state', 'established'], { encoding: 'utf8' });
  const nodePorts = new Set(stack.ports.nodes.map(String));
  const sources = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [local, peer] = line.trim().split(/\s+/).slice(-2);
    if (!local || !peer) continue;
    const peerPort = peer.slice(peer.lastIndexOf(':') + 1);
    if (!nodePorts.has(peerPort)) continue;
    const source = local.slice(0, local.lastIndexOf(':'));
    sources.set(source, (sources.get(source) ?? 0) + 1);
  }
  return sources;
}

describe('edge capacity settings', () => {
  it('spreads the sockets’ connections to the nodes over nginx’s source addresses', async () => {
    const election = await openNewElection(await signInAdmin(stack));
    const viewers = await connectViewers(stack.baseUrl, election.id, 80);
    expect(viewers.every((v) => v.joinAcks[0]?.ok)).toBe(true);
    // Each socket holds its own connection to its node once it left polling for a WebSocket.
    await waitFor(
      () => viewers.every((v) => v.socket.io.engine.transport.name === 'websocket'),
      10_000,
      'every socket upgraded',
    );
    const now = sourcesToNodes();
    const counts = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'].map((a) => now.get(a) ?? 0);
    console.log(`[capacity] connections to the nodes by source 127.0.0.1-4: ${counts.join(', ')}`);
    // 80 WebSockets over four sources by a hash of their cid (~20 each; fewer than 5 on one has
    // a chance of about 1 in 100,000), besides idle keep-alive connections of earlier requests.
    expect(counts.every((n) => n >= 5)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(80);
  });
});
