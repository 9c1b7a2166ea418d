// The topology file a failover rewrites (db/topology.ts): one read of it feeds both the master link
// and the replica router, and how the router applies a new replica list from it: who stays (with
// its name), who leaves, who is new and what it is called.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'mysql2/promise';
import pino from 'pino';
import { parseConfig } from '../../../src/config';
import { MasterLink } from '../../../src/db/master-link';
import { ReplicaRouter } from '../../../src/db/replicas';
import {
  parseTopology,
  reloadTopology,
  RETIRE_AFTER_MS,
  RetiredPools,
} from '../../../src/db/topology';

describe('parseTopology', () => {
  it('reads the master’s host:port from the first line that is not a comment', () => {
    expect(parseTopology('# written by promote\n\n127.0.0.1:3308\n').master).toEqual({
      host: '127.0.0.1',
      port: 3308,
    });
    expect(parseTopology('DB_MASTER=db.internal:3306').master).toEqual({
      host: 'db.internal',
      port: 3306,
    });
  });

  it('refuses a file without a usable master address', () => {
    for (const bad of ['', '# only a comment', '127.0.0.1', '127.0.0.1:0', 'h:70000', 'h:p']) {
      expect(() => parseTopology(bad)).toThrow(/host:port/);
    }
  });

  it('reads the master in either format and a named replica list', () => {
    expect(parseTopology('# promote\n127.0.0.1:3308\n')).toEqual({
      master: { host: '127.0.0.1', port: 3308 },
    });
    expect(
      parseTopology(
        '# promote\nDB_REPLICAS=replica2@127.0.0.1:3309, db3.internal:3306\nDB_MASTER=db1:3306\n',
      ),
    ).toEqual({
      master: { host: 'db1', port: 3306 },
      replicas: [
        { name: 'replica2', endpoint: { host: '127.0.0.1', port: 3309 } },
        { endpoint: { host: 'db3.internal', port: 3306 } },
      ],
    });
  });

  it('takes an empty replica list as "reads on the master"', () => {
    expect(parseTopology('DB_MASTER=db1:3306\nDB_REPLICAS=\n').replicas).toEqual([]);
  });

  it('refuses a bad replica, and the name reserved for reads on the master', () => {
    for (const bad of ['db2', 'db2:0', 'a b@db2:3306', 'master@db2:3306']) {
      expect(() => parseTopology(`DB_MASTER=db1:3306\nDB_REPLICAS=${bad}`)).toThrow(/bad replica/);
    }
    expect(() => parseTopology('DB_REPLICAS=db2:3306')).toThrow(/host:port/);
  });
});

describe('ReplicaRouter.follow', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-topology-'));
  const file = path.join(dir, 'db-topology');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const silentLog = pino({ level: 'silent' });
  const routerWith = (replicas: string) => {
    const config = parseConfig({
      NODE_ENV: 'test',
      DB_REPLICAS: replicas,
      DB_MASTER_FILE: file,
    });
    // Never started: a reload only records the list (no probe, no connection).
    return new ReplicaRouter(config.db, silentLog, {} as Pool);
  };
  const names = (r: ReplicaRouter) => r.list().map((x) => `${x.name}@${x.address}`);
  const reload = (router: ReplicaRouter) =>
    reloadTopology(file, silentLog, [(t) => router.follow(t)]);

  it('drops a promoted replica and names the rejoined old master as the file says', async () => {
    const router = routerWith('127.0.0.1:3308,127.0.0.1:3309');
    expect(names(router)).toEqual(['replica1@127.0.0.1:3308', 'replica2@127.0.0.1:3309']);
    writeFileSync(file, 'DB_MASTER=127.0.0.1:3308\nDB_REPLICAS=replica2@127.0.0.1:3309\n');
    await reload(router);
    expect(names(router)).toEqual(['replica2@127.0.0.1:3309']);
    writeFileSync(
      file,
      'DB_MASTER=127.0.0.1:3308\nDB_REPLICAS=replica2@127.0.0.1:3309,old-master@127.0.0.1:3307\n',
    );
    await reload(router);
    expect(names(router)).toEqual(['replica2@127.0.0.1:3309', 'old-master@127.0.0.1:3307']);
    // Reads counted under a name that left stay counted (a Prometheus counter never drops).
    expect(Object.keys(router.stats()).sort()).toEqual(
      ['master', 'old-master', 'replica1', 'replica2'].sort(),
    );
    await router.stop();
  });

  it('keeps a replica’s name by address and gives an unnamed newcomer the first free replicaN', async () => {
    const router = routerWith('127.0.0.1:3308,127.0.0.1:3309');
    writeFileSync(file, 'DB_MASTER=127.0.0.1:3308\nDB_REPLICAS=127.0.0.1:3309,127.0.0.1:3310\n');
    await reload(router);
    expect(names(router)).toEqual(['replica2@127.0.0.1:3309', 'replica1@127.0.0.1:3310']);
    await router.stop();
  });

  it('renames a replica the file names otherwise, in its health as well', async () => {
    const router = routerWith('127.0.0.1:3308,127.0.0.1:3309');
    writeFileSync(
      file,
      'DB_MASTER=127.0.0.1:3307\nDB_REPLICAS=old-master@127.0.0.1:3308,127.0.0.1:3309\n',
    );
    await reload(router);
    expect(names(router)).toEqual(['old-master@127.0.0.1:3308', 'replica2@127.0.0.1:3309']);
    expect(router.health().map((h) => `${h.name}@${h.address}`)).toEqual(names(router));
    await router.stop();
  });

  it('leaves the list alone when the file names only the master', async () => {
    const router = routerWith('127.0.0.1:3308,127.0.0.1:3309');
    writeFileSync(file, '# older format\n127.0.0.1:3307\n');
    await reload(router);
    expect(names(router)).toEqual(['replica1@127.0.0.1:3308', 'replica2@127.0.0.1:3309']);
    await router.stop();
  });
});

describe('reloadTopology', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-topology-'));
  const file = path.join(dir, 'db-topology');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  // Ports nothing listens on: the master link's probe after a switch is refused at once.
  const setup = () => {
    const lines: { module: string; msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const config = parseConfig({
      NODE_ENV: 'test',
      DB_MASTER: '127.0.0.1:1',
      DB_REPLICAS: '127.0.0.1:2,127.0.0.1:3',
      DB_MASTER_FILE: file,
    });
    const link = new MasterLink(config.db, log.child({ module: 'master' }), 1);
    const router = new ReplicaRouter(config.db, log.child({ module: 'replicas' }), link.pool);
    const reload = () =>
      reloadTopology(file, log.child({ module: 'topology' }), [
        (t) => link.follow(t),
        (t) => router.follow(t),
      ]);
    const stop = () => Promise.all([router.stop(), link.stop()]);
    const errors = () => lines.filter((l) => l.msg.includes('not usable'));
    return { link, router, reload, stop, errors };
  };

  it('reads the file once per reload and gives the master link and the replica router the same topology', async () => {
    const { link, router, reload, stop } = setup();
    writeFileSync(file, 'DB_MASTER=127.0.0.1:2\nDB_REPLICAS=replica2@127.0.0.1:3\n');
    const reads = jest.spyOn(fsPromises, 'readFile');
    await reload();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(link.state.address).toBe('127.0.0.1:2');
    expect(router.list()).toEqual([{ name: 'replica2', address: '127.0.0.1:3' }]);
    await stop();
  });

  it('leaves both as they are on a bad file, said once, from one read', async () => {
    const { link, router, reload, stop, errors } = setup();
    writeFileSync(file, 'DB_MASTER=127.0.0.1:2\nDB_REPLICAS=master@127.0.0.1:3\n');
    const reads = jest.spyOn(fsPromises, 'readFile');
    await reload();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(link.state.address).toBe('127.0.0.1:1');
    expect(router.list().map((r) => r.address)).toEqual(['127.0.0.1:2', '127.0.0.1:3']);
    expect(errors()).toEqual([expect.objectContaining({ module: 'topology' })]);
    await stop();
  });

  it('leaves both as configured, silently, while there is no file', async () => {
    const { link, router, reload, stop, errors } = setup();
    rmSync(file, { force: true });
    await reload();
    expect(link.state.address).toBe('127.0.0.1:1');
    expect(router.list().map((r) => r.address)).toEqual(['127.0.0.1:2', '127.0.0.1:3']);
    expect(errors()).toEqual([]);
    await stop();
  });
});

describe('RetiredPools', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('closes what a change replaced only after RETIRE_AFTER_MS, once', () => {
    const closed: string[] = [];
    const retired = new RetiredPools<string>((pool) => closed.push(pool));
    retired.add('old-master');
    jest.advanceTimersByTime(RETIRE_AFTER_MS - 1);
    expect(closed).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(closed).toEqual(['old-master']);
    expect(retired.cancel()).toEqual([]);
  });

  it('on cancel, hands back what still waited and never closes it itself', () => {
    const close = jest.fn();
    const retired = new RetiredPools<string>(close);
    retired.add('replica1');
    expect(retired.cancel()).toEqual(['replica1']);
    jest.advanceTimersByTime(RETIRE_AFTER_MS);
    expect(close).not.toHaveBeenCalled();
  });
});
