/**
 * deploy/kubernetes/verify-once: `pullpath verify` once per node, as a run-once DaemonSet. Checked without a
 * cluster: the init container's flags exist in the CLI (a renamed flag would fail every node), the image list
 * comes from the ConfigMap the kustomization generates, and the pod reads the node's files read-only, as non-root.
 * (Schema validation of the objects is test/deploy/manifests.test.ts, which walks every YAML under deploy/.)
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/run-cli.ts';

const DIR = join(repoRoot, 'deploy/kubernetes/verify-once');

interface Container { name: string; args?: string[]; command?: string[]; imagePullPolicy?: string; securityContext?: Record<string, unknown>; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }
interface PodSpec { hostNetwork?: boolean; securityContext?: Record<string, unknown>; initContainers: Container[]; containers: Container[]; volumes: { name: string; hostPath?: { path: string }; configMap?: { name: string } }[] }

describe('deploy/kubernetes/verify-once', () => {
  const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[]; configMapGenerator: { name: string; files: string[] }[] };
  const ds = parse(readFileSync(join(DIR, kustomization.resources[0]!), 'utf8')) as { kind: string; spec: { template: { spec: PodSpec } } };
  const pod = ds.spec.template.spec;
  const verify = pod.initContainers.find((c) => c.name === 'verify')!;

  it('runs verify as the init container, with flags the CLI has, against the generated image list', () => {
    expect(ds.kind).toBe('DaemonSet');
    expect(verify.args![0]).toBe('verify');
    const help = execFileSync(process.execPath, [join(repoRoot, 'bin/pullpath.js'), 'verify', '--help'], { encoding: 'utf8' });
    for (const a of verify.args!.slice(1)) expect(help, a).toContain(a.split('=')[0]!);
    const listFlag = verify.args!.find((a) => a.startsWith('--images='))!;
    const listFile = listFlag.slice('--images='.length);
    const mount = verify.volumeMounts!.find((m) => listFile.startsWith(m.mountPath + '/'))!;
    const volume = pod.volumes.find((v) => v.name === mount.name)!;
    const generated = kustomization.configMapGenerator.find((g) => g.name === volume.configMap?.name);
    expect(generated, 'the image list volume is the generated ConfigMap').toBeDefined();
    expect(generated!.files).toContain(listFile.slice(mount.mountPath.length + 1));
    for (const f of generated!.files) expect(existsSync(join(DIR, f)), f).toBe(true);
  });

  it('reads the node files read-only, as non-root, without host network, and never pulls its own image through the mirrors', () => {
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.securityContext!.runAsUser).not.toBe(0);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.imagePullPolicy, c.name).toBe('IfNotPresent');
      expect(c.securityContext, c.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    const hostVolumes = pod.volumes.filter((v) => v.hostPath);
    expect(hostVolumes.map((v) => v.hostPath!.path)).toEqual(['/etc/containers']);
    for (const v of hostVolumes) expect(verify.volumeMounts!.find((m) => m.name === v.name)?.readOnly).toBe(true);
  });
});
