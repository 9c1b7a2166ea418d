// A small offline renderer for the kustomize subset deploy/kubernetes uses, so CI can render the
// overlays without kubectl: resources (files and directories), namespace, configMapGenerator and
// secretGenerator (envs, files, literals; behavior create|merge|replace) with
// generatorOptions.disableNameSuffixHash, patches (strategic-merge patch files matched by kind and
// name) and images. Anything else in a kustomization.yaml, or in a patch, is REFUSED rather than
// ignored, so what it renders is what `kubectl kustomize` renders for these files.
// validateObject() checks one rendered object against the Kubernetes API schemas of the
// kubernetes-models package (types, required fields, formats such as quantities) plus the name
// rules the schemas leave out.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

interface Generator {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  envs?: string[];
  files?: string[];
  literals?: string[];
  type?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
  patches?: { path?: string; target?: unknown; patch?: string }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
}

const KNOWN_KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'patches',
  'images',
]);
const GENERATOR_KEYS = new Set(['name', 'behavior', 'envs', 'files', 'literals', 'type']);

/** Kinds that live outside namespaces (of those a Tallyboard manifest could hold). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
]);

/**
 * Lists a strategic-merge patch merges item by item (their merge key), as the Kubernetes types
 * declare for these fields; a patch holding any other list is refused.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function loadDocs(file: string): K8sObject[] {
  return yaml
    .loadAll(readFileSync(file, 'utf8'))
    .filter((d) => d !== null && d !== undefined)
    .map((d) => {
      const o = d as K8sObject;
      if (!o.apiVersion || !o.kind || !o.metadata?.name) {
        throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
      }
      return o;
    });
}

const id = (o: { kind: string; metadata: { name: string } }): string =>
  `${o.kind}/${o.metadata.name}`;

function parseEnvFile(file: string): [string, string][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const eq = l.indexOf('=');
      if (eq <= 0) throw new Error(`${file}: not KEY=VALUE: ${l}`);
      return [l.slice(0, eq), l.slice(eq + 1)];
    });
}

function generate(kind: 'ConfigMap' | 'Secret', g: Generator, dir: string): K8sObject {
  for (const k of Object.keys(g)) {
    if (!GENERATOR_KEYS.has(k)) throw new Error(`${kind} generator ${g.name}: unsupported ${k}`);
  }
  const pairs: [string, string][] = [];
  for (const e of g.envs ?? []) pairs.push(...parseEnvFile(path.resolve(dir, e)));
  for (const f of g.files ?? []) {
    const [key, rel] = f.includes('=')
      ? (f.split('=', 2) as [string, string])
      : [path.basename(f), f];
    pairs.push([key, readFileSync(path.resolve(dir, rel), 'utf8')]);
  }
  for (const l of g.literals ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new Error(`${kind} generator ${g.name}: literal not KEY=VALUE: ${l}`);
    pairs.push([l.slice(0, eq), l.slice(eq + 1)]);
  }
  const data: Record<string, string> = {};
  for (const [k, v] of pairs) {
    if (k in data) throw new Error(`${kind} generator ${g.name}: ${k} given twice`);
    data[k] = kind === 'Secret' ? Buffer.from(v, 'utf8').toString('base64') : v;
  }
  const o: K8sObject = { apiVersion: 'v1', kind, metadata: { name: g.name }, data };
  if (kind === 'Secret') o.type = g.type ?? 'Opaque';
  return o;
}

function addGenerated(objects: K8sObject[], made: K8sObject, behavior: Generator['behavior']) {
  const at = objects.findIndex((o) => id(o) === id(made));
  const b = behavior ?? 'create';
  if (b === 'create') {
    if (at >= 0) throw new Error(`${id(made)} exists already (use behavior: merge or replace)`);
    objects.push(made);
  } else {
    if (at < 0) throw new Error(`${id(made)}: behavior ${b} needs it in a base`);
    const old = objects[at]!;
    const data =
      b === 'merge'
        ? { ...(old.data as Record<string, string>), ...(made.data as Record<string, string>) }
        : made.data;
    objects[at] = { ...old, data };
  }
}

/** Strategic-merge patch, for the fields Tallyboard's patches touch (MERGE_KEYS). */
function mergePatch(target: Json | undefined, patch: Json, field: string): Json {
  if (isObject(patch)) {
    const out: JsonObject = isObject(target) ? clone(target) : {};
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith('$')) throw new Error(`patch directive ${k} is not supported`);
      if (v === null) delete out[k];
      else out[k] = mergePatch(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key) throw new Error(`patching the list ${field} is not supported (not in MERGE_KEYS)`);
    const out: Json[] = Array.isArray(target) ? clone(target) : [];
    for (const item of patch) {
      if (!isObject(item) || typeof item[key] !== 'string') {
        throw new Error(`a ${field} patch item needs its merge key ${key}`);
      }
      const at = out.findIndex((x) => isObject(x) && x[key] === item[key]);
      if (at >= 0) out[at] = mergePatch(out[at], item, field);
      else out.push(clone(item));
    }
    return out;
  }
  return patch;
}

function setImages(node: Json, images: NonNullable<Kustomization['images']>): void {
  if (Array.isArray(node)) {
    for (const x of node) setImages(x, images);
    return;
  }
  if (!isObject(node)) return;
  for (const field of ['containers', 'initContainers']) {
    const list = node[field];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isObject(c) || typeof c.image !== 'string') continue;
      const current = c.image;
      const bare = current.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
      const rule = images.find((i) => i.name === bare);
      if (!rule) continue;
      const tag = current.slice(bare.length);
      const name = rule.newName ?? bare;
      c.image = rule.digest
        ? `${name}@${rule.digest}`
        : rule.newTag
          ? `${name}:${rule.newTag}`
          : `${name}${tag}`;
    }
  }
  for (const v of Object.values(node)) setImages(v, images);
}

/** Renders the kustomization in `dir`, as `kubectl kustomize dir` does for the subset above. */
export function kustomize(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const k = yaml.load(readFileSync(file, 'utf8')) as Kustomization;
  for (const key of Object.keys(k)) {
    if (!KNOWN_KEYS.has(key)) throw new Error(`${file}: ${key} is not supported by this renderer`);
  }
  if (k.kind !== 'Kustomization') throw new Error(`${file}: kind must be Kustomization`);

  const objects: K8sObject[] = [];
  const add = (o: K8sObject): void => {
    if (objects.some((x) => id(x) === id(o))) throw new Error(`${file}: ${id(o)} twice`);
    objects.push(o);
  };
  for (const r of k.resources ?? []) {
    const p = path.resolve(dir, r);
    for (const o of statSync(p).isDirectory() ? kustomize(p) : loadDocs(p)) add(o);
  }

  const generators = [
    ...(k.configMapGenerator ?? []).map((g) => ['ConfigMap', g] as const),
    ...(k.secretGenerator ?? []).map((g) => ['Secret', g] as const),
  ];
  if (generators.length > 0 && k.generatorOptions?.disableNameSuffixHash !== true) {
    throw new Error(`${file}: only generatorOptions.disableNameSuffixHash: true is supported`);
  }
  for (const [kind, g] of generators) addGenerated(objects, generate(kind, g, dir), g.behavior);

  for (const p of k.patches ?? []) {
    if (!p.path || p.target !== undefined || p.patch !== undefined) {
      throw new Error(`${file}: only patches given by path (matched by kind and name)`);
    }
    for (const patch of loadDocs(path.resolve(dir, p.path))) {
      const at = objects.findIndex((o) => id(o) === id(patch));
      if (at < 0) throw new Error(`${p.path}: no ${id(patch)} to patch`);
      const target = objects[at]!;
      if (target.apiVersion !== patch.apiVersion) {
        throw new Error(`${p.path}: ${id(patch)} is ${target.apiVersion}, not ${patch.apiVersion}`);
      }
      objects[at] = mergePatch(target as unknown as Json, patch as unknown as Json, '') as never;
    }
  }

  if (k.images) setImages(objects as unknown as Json, k.images);

  if (k.namespace) {
    for (const o of objects) {
      if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
    }
  }
  return objects;
}

// ------------------------------------------------------------------------------- validation

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Names the API server checks but the OpenAPI schemas do not. */
function checkNames(o: K8sObject): string[] {
  const problems: string[] = [];
  const labelNamed = new Set(['Service', 'Namespace', 'StatefulSet', 'Deployment']);
  const name = o.metadata.name;
  const rule = labelNamed.has(o.kind) ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!rule.test(name) || name.length > (labelNamed.has(o.kind) ? 63 : 253)) {
    problems.push(`metadata.name ${JSON.stringify(name)} is not a valid ${o.kind} name`);
  }
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) node.forEach((x, i) => visit(x, `${at}[${i}]`));
    else if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
          for (const c of v) {
            if (isObject(c) && typeof c.name === 'string' && !DNS_LABEL.test(c.name)) {
              problems.push(`${at}.${k}: container name ${c.name} is not a DNS label`);
            }
          }
        }
        if (k === 'ports' && Array.isArray(v)) {
          for (const p of v) {
            if (isObject(p) && typeof p.name === 'string') {
              if (p.name.length > 15 || !PORT_NAME.test(p.name)) {
                problems.push(`${at}.ports: port name ${p.name} is not an IANA service name`);
              }
            }
          }
        }
        visit(v, `${at}.${k}`);
      }
    }
  };
  visit(o, o.kind);
  return problems;
}

/**
 * Checks one object against the API schema of its apiVersion and kind (kubernetes-models, which
 * knows every built-in kind) and the name rules; throws with every problem found. An unknown
 * apiVersion/kind is a failure, not a skip.
 */
export function validateObject(o: K8sObject): void {
  let model: { validate(): void };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${o.apiVersion}/${o.kind}`) as Record<
      string,
      new (data: unknown) => { validate(): void }
    >;
    const Model = mod[o.kind];
    if (!Model) throw new Error('no such model');
    model = new Model(o);
  } catch (err) {
    throw new Error(`${id(o)}: unknown apiVersion/kind ${o.apiVersion} ${o.kind} (${String(err)})`);
  }
  const problems = checkNames(o);
  try {
    model.validate();
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  if (problems.length) throw new Error(`${id(o)} is invalid: ${problems.join('; ')}`);
}
