// deploy/kubernetes cannot be applied here (no cluster, no kubectl): both overlays are rendered
// offline by the real kustomize (test/support/kustomize.ts) and every object is checked against the Kubernetes API
// schemas (kubernetes-models), then the properties the issue asks for are asserted.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type K8sObject, kustomize, validateObject } from '../support/kustomize';

const root = path.resolve(__dirname, '../../..');
const k8s = path.join(root, 'deploy/kubernetes');

interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
  volumes?: {
    name: string;
    secret?: { secretName: string };
    configMap?: { name: string };
    projected?: { sources: { secret?: { name: string } }[] };
  }[];
}
type Workload = K8sObject & {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
};

const render = (overlay: string): K8sObject[] => kustomize(path.join(k8s, 'overlays', overlay));
const find = <T extends K8sObject>(objs: K8sObject[], kind: string, name: string): T => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not rendered`);
  return o as T;
};
const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name);
const podSpec = (o: K8sObject): PodSpec | undefined => {
  const spec = (o as { spec?: { template?: { spec?: PodSpec } } }).spec;
  return spec?.template?.spec;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(['try', 'production'])('deploy/kubernetes overlay %s', (overlay) => {
  const objs = render(overlay);
  const config = find<K8sObject & { data: Record<string, string> }>(
    objs,
    'ConfigMap',
    'tallyboard-config',
  ).data;

  it('renders, and every object passes the Kubernetes API schema of its kind', () => {
    expect(objs.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const o of objs) {
      try {
        validateObject(o);
      } catch (err) {
        problems.push(String(err));
      }
    }
    expect(problems).toEqual([]);
  });

  it('puts every namespaced object in the tallyboard namespace', () => {
    for (const o of objs) {
      const ns = o.kind === 'Namespace' ? undefined : 'tallyboard';
      expect({ o: `${o.kind}/${o.metadata.name}`, ns: o.metadata.namespace }).toEqual({
        o: `${o.kind}/${o.metadata.name}`,
        ns,
      });
    }
  });

  it('runs the nodes with the pod name as NODE_ID, probes, a drain inside the grace period', () => {
    const node = find<Workload>(objs, 'Deployment', 'tallyboard-node');
    const pod = node.spec.template.spec;
    const c = pod.containers.find((x) => x.name === 'node')!;
    expect(envOf(c, 'NODE_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    const preStop = c.lifecycle?.preStop?.exec?.command ?? [];
    expect(preStop[0]).toBe('sleep');
    const drain = Number(preStop[1]) + Number(config.SHUTDOWN_GRACE_MS) / 1000;
    expect(drain).toBeGreaterThan(5); // nginx's resolver interval (valid=5s)
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drain + 5);
    expect(c.resources?.requests?.cpu).toBeDefined();
    expect(c.resources?.requests?.memory).toBeDefined();
    expect(c.resources?.limits?.memory).toBeDefined();
  });

  it('gives secrets to pods as files, the migrator’s only to the Job', () => {
    const node = find<Workload>(objs, 'Deployment', 'tallyboard-node').spec.template.spec;
    const c = node.containers[0]!;
    for (const k of ['DB_PASSWORD', 'SESSION_SECRET', 'ADMIN_PASSWORD', 'REDIS_URL']) {
      expect(envOf(c, `${k}_FILE`)?.value).toMatch(/^\/run\/secrets\/tallyboard\//);
      expect(envOf(c, k)).toBeUndefined();
    }
    expect(envOf(c, 'DB_MIGRATE_PASSWORD_FILE')).toBeUndefined();
    const nodeSecrets = (node.volumes ?? []).flatMap((v) =>
      v.secret ? [v.secret.secretName] : [],
    );
    expect(nodeSecrets).toEqual(['tallyboard-secrets']);
    const job = find<Workload>(objs, 'Job', 'tallyboard-migrate').spec.template.spec;
    expect(envOf(job.containers[0]!, 'DB_MIGRATE_PASSWORD_FILE')?.value).toBe(
      '/run/secrets/tallyboard/db-migrate-password',
    );
    const jobSecrets = (job.volumes ?? []).flatMap(
      (v) => v.projected?.sources.map((s) => s.secret?.name) ?? [],
    );
    expect(jobSecrets).toEqual(['tallyboard-secrets', 'tallyboard-migrate-secret']);
  });

  it('has nginx hash over the node pods one by one: a headless Service it re-resolves', () => {
    const svc = find<
      K8sObject & { spec: { clusterIP?: string; selector: Record<string, string> } }
    >(objs, 'Service', 'tallyboard-node');
    expect(svc.spec.clusterIP).toBe('None');
    const node = find<Workload>(objs, 'Deployment', 'tallyboard-node');
    expect(matches(svc.spec.selector, node.spec.template.metadata.labels)).toBe(true);
    const nginx = find<Workload>(objs, 'Deployment', 'tallyboard-nginx').spec.template.spec;
    const c = nginx.containers[0]!;
    expect(envOf(c, 'TB_UPSTREAMS')?.value).toBe(
      `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:3000`,
    );
    expect(envOf(c, 'TB_NGINX_RESOLVER')?.value).toMatch(/ valid=5s$/);
  });

  it('has a PodDisruptionBudget and a selecting Service for each Deployment that serves', () => {
    const pdbs = objs.filter((o) => o.kind === 'PodDisruptionBudget') as (K8sObject & {
      spec: { selector: { matchLabels: Record<string, string> } };
    })[];
    for (const name of ['tallyboard-node', 'tallyboard-nginx']) {
      const d = find<Workload>(objs, 'Deployment', name);
      const labels = d.spec.template.metadata.labels;
      expect(matches(d.spec.selector.matchLabels, labels)).toBe(true);
      expect(pdbs.filter((p) => matches(p.spec.selector.matchLabels, labels))).toHaveLength(1);
    }
  });

  it('references only ConfigMaps and Secrets it renders (production: the two Secrets you create)', () => {
    const have = new Set(objs.map((o) => `${o.kind}/${o.metadata.name}`));
    const missing = new Set<string>();
    for (const o of objs) {
      const pod = podSpec(o);
      if (!pod) continue;
      for (const v of pod.volumes ?? []) {
        if (v.secret) missing.add(`Secret/${v.secret.secretName}`);
        if (v.configMap) missing.add(`ConfigMap/${v.configMap.name}`);
        for (const s of v.projected?.sources ?? []) {
          if (s.secret) missing.add(`Secret/${s.secret.name}`);
        }
      }
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        for (const e of c.envFrom ?? []) {
          if (e.configMapRef) missing.add(`ConfigMap/${e.configMapRef.name}`);
        }
      }
    }
    for (const h of have) missing.delete(h);
    expect([...missing].sort()).toEqual(
      overlay === 'production'
        ? ['Secret/tallyboard-migrate-secret', 'Secret/tallyboard-secrets']
        : [],
    );
  });

  it('runs the image’s own scripts: the schema wait and (try) the replication SQL exist', () => {
    expect(existsSync(path.join(root, 'server/src/db/migrations/index.ts'))).toBe(true);
    expect(existsSync(path.join(root, 'server/src/cli/replication-sql.ts'))).toBe(true);
    const scripts = find<K8sObject & { data: Record<string, string> }>(
      objs,
      'ConfigMap',
      'tallyboard-scripts',
    );
    expect(scripts.data['wait-for-schema.cjs']).toContain("appRequire('./dist/db/migrations')");
  });

  if (overlay === 'try') {
    it('try: a MariaDB master and replica and a Redis in the cluster, the config pointing at them', () => {
      for (const name of ['tallyboard-mariadb-master', 'tallyboard-mariadb-replica']) {
        find(objs, 'StatefulSet', name);
        find(objs, 'Service', name);
      }
      find(objs, 'Deployment', 'tallyboard-redis');
      // The replica is ready only while both replication threads run.
      const replica = find<Workload>(objs, 'StatefulSet', 'tallyboard-mariadb-replica');
      const probe = (
        replica.spec.template.spec.containers[0] as unknown as {
          readinessProbe: { exec: { command: string[] } };
        }
      ).readinessProbe.exec.command;
      expect(probe).toEqual(expect.arrayContaining(['--replication_io', '--replication_sql']));
      expect(probe.at(-1)).toBe('--replication');
      expect(config.DB_FLAVOR).toBe('mariadb');
      expect(config.DB_MASTER).toBe('tallyboard-mariadb-master:3306');
      expect(config.DB_REPLICAS).toBe('tallyboard-mariadb-replica:3306');
      const secrets = find<K8sObject & { data: Record<string, string> }>(
        objs,
        'Secret',
        'tallyboard-secrets',
      ).data;
      const redisUrl = Buffer.from(secrets['redis-url']!, 'base64').toString();
      const redisPassword = Buffer.from(
        find<K8sObject & { data: Record<string, string> }>(objs, 'Secret', 'tallyboard-db-root')
          .data['redis-password']!,
        'base64',
      ).toString();
      expect(redisUrl).toBe(`redis://:${redisPassword}@tallyboard-redis:6379`);
    });
  } else {
    it('production: external MySQL over verified TLS, Redis Sentinel, images from a registry', () => {
      expect(config.DB_FLAVOR).toBe('mysql');
      expect(config.DB_TLS).toBe('verify');
      expect(config.REDIS_MODE).toBe('sentinel');
      expect(objs.filter((o) => o.kind === 'Secret' || o.kind === 'StatefulSet')).toEqual([]);
      const node = find<Workload>(objs, 'Deployment', 'tallyboard-node');
      expect(node.spec.template.spec.containers[0]!.image).toBe(
        'registry.example.org/tallyboard/server:0.1.0',
      );
      expect(node.spec.template.spec.initContainers![0]!.image).toBe(
        'registry.example.org/tallyboard/server:0.1.0',
      );
    });
  }
});

describe('the offline check can fail', () => {
  const node = (): Workload =>
    JSON.parse(JSON.stringify(find(render('try'), 'Deployment', 'tallyboard-node'))) as Workload;

  it('rejects an object its schema refuses (a port as text, a bad quantity, a bad name)', () => {
    const badPort = node();
    (badPort.spec.template.spec.containers[0] as unknown as { ports: unknown[] }).ports = [
      { name: 'http', containerPort: 'three thousand' },
    ];
    expect(() => validateObject(badPort)).toThrow(/containerPort must be integer/);
    const badCpu = node();
    badCpu.spec.template.spec.containers[0]!.resources = { requests: { cpu: 'lots' } };
    expect(() => validateObject(badCpu)).toThrow(/quantity/);
    const badName = node();
    badName.metadata.name = 'Tallyboard_Node';
    expect(() => validateObject(badName)).toThrow(/not a valid Deployment name/);
    const noSelector = node() as unknown as { spec: Record<string, unknown> };
    delete noSelector.spec.selector;
    expect(() => validateObject(noSelector as unknown as K8sObject)).toThrow(/selector/);
  });

  it('rejects an unknown kind, and a kustomization kustomize cannot build', () => {
    expect(() =>
      validateObject({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }),
    ).toThrow(/unknown apiVersion\/kind/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-kustomize-'));
    try {
      // A patch for an object the base does not have, as a typo in an overlay would be.
      writeFileSync(
        path.join(dir, 'kustomization.yaml'),
        `resources:\n  - ${path.relative(dir, path.join(k8s, 'base'))}\npatches:\n  - path: p.yaml\n`,
      );
      writeFileSync(
        path.join(dir, 'p.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tallyboard-nodes\nspec:\n  replicas: 2\n',
      );
      expect(() => kustomize(dir)).toThrow(/kustomize build .* failed: .*tallyboard-nodes/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
