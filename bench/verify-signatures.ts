/**
 * bench/verify-signatures: `verify --check-signatures` over N sigstore-signed images on a loopback mock, beside
 * `verify` of the same images without signature checks, measured in the same run (issue 12's target: at most
 * 1.5× the time). Each measurement runs in a child process of its own, so its peak RSS (VmHWM) is its own; the
 * two modes alternate, and the medians are compared.
 * Run: npx tsx bench/verify-signatures.ts   (N=2000 J=32 ROUNDS=3 by default)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startMockRegistries } from '../src/mock/start.ts';
import { mockImageDigest } from '../src/mock/image-builder.ts';
import { createRegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { HostMap } from '../src/registry/host-map.ts';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { compileConfig } from '../src/resolve/compile.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { parseRegistriesD } from '../src/signature/registries-d.ts';
import { runVerify } from '../src/verify/run-verify.ts';
import { summarizeVerdicts, type VerifyVerdict } from '../src/verify/verdict.ts';

const N = Number(process.env.N ?? 2000);
const J = Number(process.env.J ?? 32);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Sample {
  mode: string;
  ms: number;
  hwmMb: number;
  passed: number;
  failed: number;
}

async function child(mode: 'plain' | 'signatures'): Promise<void> {
  const images = Array.from({ length: N }, (_, i) => ({ repository: `ocp/img${i}`, tags: ['v1'], content: `img${i}`, signedName: `quay.io/ocp/img${i}` }));
  const set = await startMockRegistries([{ host: 'mirror.example.com', signatures: 'sigstore', images }]);
  const hostMap = HostMap.parse(Object.entries(set.hostMap).map(([h, a]) => `${h}:${a}`));
  const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: J });
  const client = createRegistryClient({ hostMap, dispatchers });
  const conf = loadRegistriesConfFromTexts({
    main: { path: 'v.conf', text: '[[registry]]\nlocation = "quay.io/ocp"\nblocked = true\n[[registry.mirror]]\nlocation = "mirror.example.com/ocp"\ninsecure = true\npull-from-mirror = "digest-only"\n' },
    mainPath: 'v.conf',
    dropins: [],
  });
  const key = Buffer.from(set.sigstorePublicKeyPem!).toString('base64');
  const policy = parsePolicy(JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { 'quay.io/ocp': [{ type: 'sigstoreSigned', keyData: key, signedIdentity: { type: 'matchRepository' } }] } } }), 'bench-policy.json');
  const registriesD = parseRegistriesD([{ path: 'sigstore.yaml', text: 'docker:\n  mirror.example.com/ocp:\n    use-sigstore-attachments: true\n' }]);
  const signatures = mode === 'signatures' ? { registriesD, dispatchers, builtinLookaside: 'file:///nonexistent-pullpath-bench' } : null;
  const refs = images.map((im, i) => `quay.io/ocp/img${i}@${mockImageDigest(im)}`);
  const t0 = performance.now();
  const verdicts: VerifyVerdict[] = [];
  for await (const v of runVerify({ compiled: compileConfig(conf), images: refs, noSource: null, checkBlobs: false, jobs: J, pull: { client, attemptTimeoutMs: 30_000, policy, signatures } })) verdicts.push(v);
  const ms = performance.now() - t0;
  const s = summarizeVerdicts(verdicts);
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  const sample: Sample = { mode, ms, hwmMb: hwm, passed: s.passed, failed: s.failed };
  process.stdout.write(JSON.stringify(sample) + '\n');
  await client.close();
  await dispatchers.close();
  await set.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const modeArg = process.argv.indexOf('--child');
if (modeArg !== -1) {
  await child(process.argv[modeArg + 1] === 'signatures' ? 'signatures' : 'plain');
} else {
  const self = fileURLToPath(import.meta.url);
  const samples: Sample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of ['plain', 'signatures']) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', mode], { encoding: 'utf8', env: process.env });
      if (out.status !== 0) throw new Error(`child ${mode} failed: ${out.stderr}`);
      samples.push(JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Sample);
    }
  }
  const of = (mode: string) => samples.filter((s) => s.mode === mode);
  const plain = of('plain');
  const signed = of('signatures');
  const line = (label: string, xs: Sample[]) =>
    `${label.padEnd(34)} median ${(median(xs.map((x) => x.ms)) / 1000).toFixed(2)} s (${Math.round(N / (median(xs.map((x) => x.ms)) / 1000))} images/s), peak RSS ${median(xs.map((x) => x.hwmMb)).toFixed(0)} MB, ${xs[0]!.passed} passed ${xs[0]!.failed} failed`;
  console.log(`verify, ${N} sigstore-signed images on a loopback mock, --jobs ${J}, ${ROUNDS} rounds alternating (load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
  console.log(line('verify (anchor)', plain));
  console.log(line('verify --check-signatures', signed));
  console.log(`ratio: ${(median(signed.map((x) => x.ms)) / median(plain.map((x) => x.ms))).toFixed(2)}× the time (target ≤ 1.5×), ${(median(signed.map((x) => x.hwmMb)) / median(plain.map((x) => x.hwmMb))).toFixed(2)}× the peak RSS`);
}
