import { parseOptions, parseSources, UsageError, helpText } from '../../src/options';

describe('load tester flags', () => {
  it('gives the documented defaults when no flag is given', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({
      url: 'http://127.0.0.1:8080',
      connections: 100,
      ramp: 500,
      voting: 0.1,
      rate: 10,
      duration: 10,
      hold: 0,
      transport: 'websocket',
      cast: 'rest',
      workers: 1,
      sources: ['127.0.0.1'],
      json: false,
      compareReference: false,
    });
  });

  it('holds the sockets between the ramp and the first ballot when told', () => {
    expect(parseOptions(['--hold', '30']).hold).toBe(30);
    expect(() => parseOptions(['--hold', '-1'])).toThrow(UsageError);
    expect(() => parseOptions(['--hold', 'soon'])).toThrow(UsageError);
  });

  it('reads values after the flag and after =', () => {
    const o = parseOptions(['--connections', '12000', '--rate=200', '--cast', 'socket', '--json']);
    expect(o.connections).toBe(12000);
    expect(o.rate).toBe(200);
    expect(o.cast).toBe('socket');
    expect(o.json).toBe(true);
    expect(o.workers).toBe(3); // one worker per 5,000 sockets unless told
  });

  it.each([
    [['--bogus']],
    [['stray']],
    [['--connections']],
    [['--connections', 'many']],
    [['--voting', '1.5']],
    [['--transport', 'carrier-pigeon']],
    [['--cast', 'mail']],
    [['--json=yes']],
    [['--url', 'ftp://x']],
    [['--admin-email', 'a@b.c']],
    [['--join', 'ABCD', '--close-after', '3']],
    [['--workers', '0']],
  ])('refuses %j as a usage error', (argv) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
  });

  it('speaks bare WebSockets unless told, socket.io-client for polling', () => {
    expect(parseOptions([]).client).toBe('bare');
    expect(parseOptions(['--client', 'socketio']).client).toBe('socketio');
    expect(parseOptions(['--transport', 'polling']).client).toBe('socketio');
    expect(() => parseOptions(['--transport', 'polling', '--client', 'bare'])).toThrow(UsageError);
    expect(() => parseOptions(['--client', 'engineio'])).toThrow(UsageError);
  });

  it('casts REST ballots from a process of their own unless told, socket ballots from the viewers', () => {
    expect(parseOptions([]).caster).toBe('own');
    expect(parseOptions(['--caster', 'viewers']).caster).toBe('viewers');
    expect(parseOptions(['--cast', 'socket']).caster).toBe('viewers');
    expect(() => parseOptions(['--cast', 'socket', '--caster', 'own'])).toThrow(UsageError);
    expect(() => parseOptions(['--caster', 'nobody'])).toThrow(UsageError);
  });

  it('chooses one loopback source per 6,000 sockets for a local target, none for a remote one', () => {
    expect(parseOptions(['--connections', '6000']).sources).toEqual(['127.0.0.1']);
    expect(parseOptions(['--connections', '30000']).sources).toEqual([
      '127.0.0.1',
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.4',
      '127.0.0.5',
    ]);
    expect(parseOptions(['--url', 'https://vote.example.org']).sources).toEqual([]);
    expect(parseOptions(['--connections', '30000', '--sources', '127.0.0.9']).sources).toEqual([
      '127.0.0.9',
    ]);
  });

  it('expands source address ranges and lists', () => {
    expect(parseSources('127.0.0.1-3,10.0.0.9')).toEqual([
      '127.0.0.1',
      '127.0.0.2',
      '127.0.0.3',
      '10.0.0.9',
    ]);
    expect(() => parseSources('127.0.0.4-2')).toThrow(UsageError);
    expect(() => parseSources('localhost')).toThrow(UsageError);
  });

  it('documents every flag it accepts in --help', () => {
    const help = helpText();
    for (const flag of [
      'url',
      'join',
      'codes',
      'admin-email',
      'admin-password',
      'stack',
      'connections',
      'ramp',
      'voting',
      'rate',
      'duration',
      'hold',
      'transport',
      'cast',
      'caster',
      'workers',
      'sources',
      'settle',
      'max-failures',
      'close-after',
      'compare-reference',
      'json',
      'help',
    ]) {
      expect(help).toContain(`--${flag}`);
      // …and accepts what it documents
      expect(() =>
        parseOptions(
          flag === 'help' || flag === 'json' || flag === 'compare-reference' ? [`--${flag}`] : [],
        ),
      ).not.toThrow();
    }
  });
});
