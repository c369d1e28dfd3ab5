/**
 * Rendering OpenShift objects (N IDMS rules, N/10 insecure and blocked scopes nested in the mirrored
 * sources) and evaluating policy.json (allowed list of N scopes) — ms per render and evaluations/s, medians
 * after warm-up, each beside a baseline measured in the same run (YAML parse of the objects; reference
 * parsing alone). The render follows runtime-utils' O(entries × scopes) algorithm, so growth is quadratic.
 * Prints figures; asserts nothing. Run: npx tsx bench/openshift-render.ts
 */
import { stringify } from 'yaml';
import { parseOpenShiftObjects } from '../src/openshift/parse-objects.ts';
import { renderOpenShift } from '../src/openshift/render.ts';
import { evaluatePolicy } from '../src/policy/evaluate.ts';
import { parseDockerTransportRef } from '../src/policy/docker-reference.ts';
import { parsePolicy } from '../src/policy/parse.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
function time(fn: () => void, runs: number): number {
  for (let i = 0; i < 2; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

function objectsText(n: number): string {
  const tenth = Math.max(1, Math.floor(n / 10));
  const image = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Image',
    metadata: { name: 'cluster' },
    spec: {
      registrySources: {
        insecureRegistries: Array.from({ length: tenth }, (_, i) => `src${i}.example.com/team/insecure`),
        blockedRegistries: Array.from({ length: tenth }, (_, i) => `src${i}.example.com/team/blocked`),
      },
    },
  };
  const idms = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ImageDigestMirrorSet',
    metadata: { name: 'bench' },
    spec: { imageDigestMirrors: Array.from({ length: n }, (_, i) => ({ source: `src${i}.example.com/team`, mirrors: [`mirror-a.local/src${i}`, `mirror-b.local/src${i}`] })) },
  };
  return `${stringify(image)}---\n${stringify(idms)}`;
}

console.log('render openshift (registries.conf + policy.json):');
for (const n of [10, 1000, 3000]) {
  const text = objectsText(n);
  const texts = [{ path: 'bench.yaml', text }];
  const runs = n >= 3000 ? 5 : 20;
  const baseline = time(() => parseOpenShiftObjects(texts), runs);
  const objects = parseOpenShiftObjects(texts);
  const render = time(() => renderOpenShift(objects), runs);
  const bytes = renderOpenShift(objects).files.registriesConf.length;
  console.log(`  N=${String(n).padStart(4)} rules: YAML read ${baseline.toFixed(1)} ms (baseline), render ${render.toFixed(1)} ms, registries.conf ${(bytes / 1024).toFixed(0)} KiB`);
}

console.log('policy evaluation:');
for (const n of [10, 1000]) {
  const scopes = Object.fromEntries(Array.from({ length: n }, (_, i) => [`reg${i}.example.com/ns`, [{ type: 'insecureAcceptAnything' }]]));
  const policy = parsePolicy(JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: scopes } }), 'bench.json');
  const refs = Array.from({ length: 1000 }, (_, i) => `reg${i % (2 * n)}.example.com/ns/app:${i}`);
  const base = time(() => refs.forEach((r) => parseDockerTransportRef(r)), 20);
  const evalMs = time(() => refs.forEach((r) => evaluatePolicy(policy, r)), 20);
  console.log(
    `  ${String(n).padStart(4)} scopes: parse refs ${((1000 / base) * 1000).toFixed(0)} refs/s (baseline), parse+evaluate ${((1000 / evalMs) * 1000).toFixed(0)} evaluations/s`,
  );
}
