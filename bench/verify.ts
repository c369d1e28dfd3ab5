/**
 * bench/verify: how long `verify` takes for a release-sized list, and its memory, against C's mock on
 * loopback: N digest references (half mirrored, half not), a blocked source and one digest-only mirror,
 * at --jobs J. Run: npx tsx bench/verify.ts   (N=2000 J=32 by default)
 */
import { startMockRegistry } from '../src/mock/start.ts';
import { mockImageDigest } from '../src/mock/image-builder.ts';
import { createRegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { HostMap } from '../src/registry/host-map.ts';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { compileConfig } from '../src/resolve/compile.ts';
import { runVerify } from '../src/verify/run-verify.ts';
import { summarizeVerdicts, type VerifyVerdict } from '../src/verify/verdict.ts';

const N = Number(process.env.N ?? 2000);
const J = Number(process.env.J ?? 32);
const images = Array.from({ length: N / 2 }, (_, i) => ({ repository: `ocp/img${i}`, tags: ['v1'], content: `img${i}` }));
const reg = await startMockRegistry({ host: 'mirror.example.com', images });
const hostMap = HostMap.parse([`mirror.example.com:${reg.address}`]);
const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: J });
const client = createRegistryClient({ hostMap, dispatchers });
const conf = loadRegistriesConfFromTexts({
  main: { path: 'v.conf', text: '[[registry]]\nlocation = "quay.io/ocp"\nblocked = true\n[[registry.mirror]]\nlocation = "mirror.example.com/ocp"\ninsecure = true\npull-from-mirror = "digest-only"\n' },
  mainPath: 'v.conf',
  dropins: [],
});
const refs = [
  ...images.map((im, i) => `quay.io/ocp/img${i}@${mockImageDigest(im)}`),
  ...images.map((_, i) => `quay.io/ocp/missing${i}@${mockImageDigest({ repository: 'x', content: `missing${i}` })}`),
];
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const t0 = performance.now();
const verdicts: VerifyVerdict[] = [];
for await (const v of runVerify({ compiled: compileConfig(conf), images: refs, noSource: null, checkBlobs: false, jobs: J, pull: { client, attemptTimeoutMs: 10_000 } })) verdicts.push(v);
const ms = performance.now() - t0;
clearInterval(sampler);
const s = summarizeVerdicts(verdicts);
console.log(`verify ${N} images (--jobs ${J}) against C's mock: ${(ms / 1000).toFixed(2)} s = ${Math.round(N / (ms / 1000))} images/s`);
console.log(`  ${s.passed} passed, ${s.failed} failed ${JSON.stringify(s.byReason)}; RSS ${(rss0 / 1048576).toFixed(0)} → peak ${(peak / 1048576).toFixed(0)} MB`);
await client.close();
await dispatchers.close();
await reg.close();
