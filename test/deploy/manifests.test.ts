/**
 * Every manifest under deploy/, validated offline against the Kubernetes API schemas, with no cluster:
 *  - Kubernetes objects with the schemas `kubernetes-models` bundles (generated from the Kubernetes OpenAPI
 *    spec: types, required fields, enums, formats); Prometheus Operator objects with
 *    `@kubernetes-models/prometheus-operator`; OpenShift's SecurityContextConstraints with a JSON Schema
 *    written from openshift/api's CRD (test/fixtures/k8s-schemas), through ajv. A kind with no schema fails.
 *  - Every kustomization's references (resources, patches, generator files) resolve, and, where `kubectl`
 *    is installed (it bundles kustomize), each kustomization builds and every object it emits validates.
 *  - The probe's pod keeps to what the README promises: no host network, no privilege, read-only root,
 *    every capability dropped, read-only host mounts, resources set; non-root except where the OpenShift
 *    overlay reads CRI-O's root-only pull secret.
 * YAML that is not a Kubernetes object (promtool rule and test files) is listed in NOT_OBJECTS with the
 * test that checks it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';

const ROOT = join(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
/** Files under deploy/ that hold no Kubernetes object, and what checks them instead. */
const NOT_OBJECTS: Record<string, string> = {
  'prometheus/rules.yaml': 'promtool check rules (test/deploy/prometheus-rules.test.ts)',
  'prometheus/tests/alerts.test.yaml': 'promtool test rules (test/deploy/prometheus-rules.test.ts)',
};

type Obj = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: string }; [k: string]: unknown };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(n) ? [p] : [];
  });
}

function docs(text: string, name: string): Obj[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new Error(`${name}: ${d.errors[0]!.message}`);
    return d.toJS() as Obj;
  }).filter((o) => o !== null);
}

const sccSchema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/k8s-schemas/securitycontextconstraints.schema.json'), 'utf8'));
const validateScc = new Ajv({ allErrors: true, strict: false }).compile(sccSchema);

/** The model class for an apiVersion/kind, from the bundled schema packages; null when none has it. */
async function modelFor(apiVersion: string, kind: string): Promise<(new (o: object) => { validate(): void }) | null> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion];
  const path = group === 'monitoring.coreos.com'
    ? `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`
    : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  try {
    const mod = (await import(path)) as Record<string, unknown>;
    return (mod[kind] as new (o: object) => { validate(): void }) ?? null;
  } catch {
    return null;
  }
}

/** Validates one object; returns the errors in words (empty when valid). */
async function validateObject(o: Obj): Promise<string[]> {
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return ['no apiVersion/kind: not a Kubernetes object'];
  if (o.apiVersion === 'security.openshift.io/v1' && o.kind === 'SecurityContextConstraints') {
    return validateScc(o) ? [] : (validateScc.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  }
  const Model = await modelFor(o.apiVersion, o.kind);
  if (!Model) return [`no schema for ${o.apiVersion} ${o.kind}`];
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) console.warn('[deploy manifests] kubectl not installed: kustomize builds skipped (each file and every reference are still checked)');

const files = yamlFiles(DEPLOY);
const kustomizations = files.filter((f) => /(^|\/)kustomization\.ya?ml$/.test(f));

describe('deploy/ manifests', () => {
  it('finds the manifests (the walk itself works)', () => {
    expect(files.map((f) => relative(DEPLOY, f))).toEqual(expect.arrayContaining(['kubernetes/kustomization.yaml', 'kubernetes/base/daemonset-probe.yaml', 'kubernetes/openshift/scc.yaml', 'prometheus/prometheusrule.yaml']));
  });

  it.each(files.filter((f) => !kustomizations.includes(f)).map((f) => [relative(DEPLOY, f), f]))('%s validates against its API schema', async (name, file) => {
    const objects = docs(readFileSync(file, 'utf8'), name);
    expect(objects.length, `${name} holds no document`).toBeGreaterThan(0);
    if (name in NOT_OBJECTS) {
      for (const o of objects) expect(o.kind, `${name} is listed as not a Kubernetes object`).toBeUndefined();
      return;
    }
    for (const o of objects) {
      const partial = o.kind === 'DaemonSet' && !(o.spec as { selector?: unknown } | undefined)?.selector; // a strategic-merge patch
      if (partial) continue; // patches are validated in the kustomize build below, merged with their target
      expect(await validateObject(o), `${name}: ${String(o.kind)} ${o.metadata?.name ?? ''}`).toEqual([]);
    }
  });

  it('the validator rejects what the API server would (it can fail)', async () => {
    const ds = docs(readFileSync(join(DEPLOY, 'kubernetes/base/daemonset-probe.yaml'), 'utf8'), 'ds')[0]!;
    const broken = structuredClone(ds) as { spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } } };
    broken.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'metrics';
    expect((await validateObject(broken as unknown as Obj)).join()).toMatch(/containerPort/);
    const noSelector = structuredClone(ds) as { spec: { selector?: unknown } };
    delete noSelector.spec.selector;
    expect((await validateObject(noSelector as unknown as Obj)).join()).toMatch(/selector/);
    const scc = docs(readFileSync(join(DEPLOY, 'kubernetes/openshift/scc.yaml'), 'utf8'), 'scc')[0]!;
    expect(await validateObject({ ...scc, allowHostNetwork: 'no' })).not.toEqual([]);
    expect(await validateObject({ ...scc, allowHostNetworks: false })).not.toEqual([]);
    expect(await validateObject({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual(['no schema for example.com/v1 Widget']);
  });

  it.each(kustomizations.map((f) => [relative(DEPLOY, f), f]))('%s: every reference resolves', (name, file) => {
    const k = docs(readFileSync(file, 'utf8'), name)[0] as Record<string, unknown>;
    const dir = dirname(file);
    const refs: string[] = [
      ...((k.resources as string[] | undefined) ?? []),
      ...(((k.patches as { path?: string }[] | undefined) ?? []).flatMap((p) => (p.path ? [p.path] : []))),
      ...(((k.configMapGenerator as { files?: string[] }[] | undefined) ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split('=').at(-1)!))),
    ];
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      const p = join(dir, r);
      expect(existsSync(p), `${name}: ${r} does not exist`).toBe(true);
      if (statSync(p).isDirectory()) expect(existsSync(join(p, 'kustomization.yaml')), `${name}: ${r}/ has no kustomization.yaml`).toBe(true);
    }
  });

  describe.skipIf(!kubectl)('kustomize builds (kubectl kustomize)', () => {
    const build = (dir: string): Obj[] => docs(execFileSync('kubectl', ['kustomize', join(DEPLOY, dir)], { encoding: 'utf8' }), dir);

    it.each(kustomizations.map((f) => [relative(DEPLOY, dirname(f))]))('%s builds, and every object it emits validates', async (dir) => {
      const objects = build(dir);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) expect(await validateObject(o), `${dir}: ${String(o.kind)} ${o.metadata?.name ?? ''}`).toEqual([]);
    });

    type Container = { name: string; image: string; args?: string[]; securityContext?: Record<string, unknown>; resources?: { requests?: Record<string, string>; limits?: Record<string, string> }; volumeMounts?: { name: string; readOnly?: boolean }[] };
    type PodSpec = { hostNetwork?: boolean; hostPID?: boolean; securityContext?: Record<string, unknown>; containers: Container[]; volumes?: { name: string; hostPath?: { path: string } }[] };
    const probePod = (objects: Obj[]): PodSpec => {
      const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata?.name === 'pullpath-probe');
      expect(ds).toBeDefined();
      return (ds as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    };

    it.each([['kubernetes', false], ['kubernetes/openshift', true]] as const)('%s: the probe pod is unprivileged, read-only and sized', (dir, openshift) => {
      const objects = build(dir);
      const pod = probePod(objects);
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      const [c] = pod.containers;
      expect(c!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c!.securityContext!.privileged ?? false).toBe(false);
      expect(c!.resources?.requests?.cpu).toBeDefined();
      expect(c!.resources?.requests?.memory).toBeDefined();
      expect(c!.resources?.limits?.memory).toBeDefined();
      // Host paths: /etc/containers (and on OpenShift the node pull secret), always mounted read-only.
      const hostVolumes = (pod.volumes ?? []).filter((v) => v.hostPath);
      expect(hostVolumes.map((v) => v.hostPath!.path).sort()).toEqual(openshift ? ['/etc/containers', '/var/lib/kubelet/config.json'] : ['/etc/containers']);
      for (const v of hostVolumes) expect(c!.volumeMounts!.find((m) => m.name === v.name)?.readOnly, v.name).toBe(true);
      // Non-root where it can; root (with no capability) only to read CRI-O's 0600 pull secret.
      if (openshift) {
        expect(pod.securityContext).toMatchObject({ runAsUser: 0 });
        expect(c!.args).toContain('--authfile=/run/pullpath/auth/config.json');
        const scc = objects.find((o) => o.kind === 'SecurityContextConstraints') as Record<string, unknown>;
        expect(scc).toMatchObject({ allowHostNetwork: false, allowPrivilegedContainer: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, requiredDropCapabilities: ['ALL'] });
      } else {
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
        expect(pod.securityContext!.runAsUser).not.toBe(0);
      }
      // The probe never pulls its own image through the mirrors it checks unless told to.
      expect((objects.find((o) => o.kind === 'DaemonSet') as unknown as { spec: { template: { spec: { containers: { imagePullPolicy: string }[] } } } }).spec.template.spec.containers[0]!.imagePullPolicy).toBe('IfNotPresent');
      // Every flag the DaemonSet passes exists in the CLI (a renamed flag would crash-loop every node).
      const help = execFileSync(process.execPath, [join(ROOT, 'bin/pullpath.js'), 'probe', '--help'], { encoding: 'utf8' });
      for (const a of c!.args!.slice(1)) expect(help, a).toContain(a.split('=')[0]!);
    });
  });
});
