// The connection state a voter sees (live / reconnecting / offline), driven by socket and
// browser network events. The socket is a stand-in: this is the state machine, not the network.
import { EventEmitter } from 'node:events';

class FakeSocket extends EventEmitter {
  connected = false;
  readonly io = new EventEmitter();
  connect = jest.fn(() => this);
  timeout = () => ({ emit: () => undefined });
}

let socket: FakeSocket;
jest.mock('socket.io-client', () => ({
  io: () => {
    socket = new FakeSocket();
    return socket;
  },
}));

import { browserNetwork } from '../src/live/browser';
import { LiveClient } from '../src/live/client';

const newClient = (): LiveClient =>
  new LiveClient({ url: 'http://x', cid: 'tab-1', network: browserNetwork });

const setOnline = (online: boolean): void => {
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
};

describe('LiveClient connection state', () => {
  afterEach(() => setOnline(true));

  it('goes live on connect and reconnecting on a drop', () => {
    const live = newClient();
    expect(live.getState()).toBe('connecting');
    socket.connected = true;
    socket.emit('connect');
    expect(live.getState()).toBe('live');
    socket.connected = false;
    socket.emit('disconnect');
    expect(live.getState()).toBe('reconnecting');
  });

  it('shows offline while the browser is, and reconnects when it is back', () => {
    const live = newClient();
    socket.connected = true;
    socket.emit('connect');
    setOnline(false);
    expect(live.getState()).toBe('offline');
    socket.connected = false;
    socket.emit('disconnect');
    expect(live.getState()).toBe('offline'); // not "reconnecting" while there is no network
    setOnline(true);
    expect(live.getState()).toBe('reconnecting');
    expect(socket.connect).toHaveBeenCalled();
  });

  it('is live again after a network blip the socket survived', () => {
    const live = newClient();
    socket.connected = true;
    socket.emit('connect');
    setOnline(false);
    expect(live.getState()).toBe('offline');
    setOnline(true);
    expect(live.getState()).toBe('live');
    expect(socket.connect).not.toHaveBeenCalled();
  });
});
