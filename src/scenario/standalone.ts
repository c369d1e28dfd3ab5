/**
 * A scenario's registries, standalone (`pullpath mock`): for other clients such as skopeo and podman.
 * Two ways to reach them:
 * - default: random loopback ports, reached through pullpath's host map (`--connect-to`);
 * - `samePorts`: each registry on the port its configured name implies (":5000", else 443 with TLS, 80
 *   without), each on its own loopback address 127.0.0.N, so `/etc/hosts` lines are all another client
 *   needs (ports under 1024 need privileges).
 * - `listen` / `basePort` (see listen.ts): fixed addresses, for firewall rules; the rest on random ports.
 * Everything is written to one temporary folder: the registries.conf, drop-ins, certs.d and auth.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from '../fs-async.ts';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRealClock } from '../mock/clock.ts';
import type { ImageCache } from '../mock/content-store.ts';
import { deriveSeed } from '../mock/prng.ts';
import { specSigns, specSignsGpg, startMockRegistries, startMockRegistry, type RunningMockRegistry } from '../mock/start.ts';
import { createMockSigningKeys } from '../mock/sigstore-sign.ts';
import { scenarioPolicy } from './signature-files.ts';
import { createMockGpgKeys } from '../mock/gpg-sign.ts';
import { createMockCa, stripPort } from '../mock/tls.ts';
import { ConfigError, UsageError } from '../errors.ts';
import { splitHostPort } from './environment.ts';
import { prepareScenario } from './prepare.ts';
import type { Scenario } from './types.ts';
import { placeRegistries, type ListenAddress, type ListenRequest } from './listen.ts';

export interface StandaloneRegistry {
  /** As configured: `mirror.example.com:5000`. */
  host: string;
  /** Where it listens (`127.0.0.1:41234`); for a registry declared down, the address that refuses. */
  address: string;
  scheme: 'http' | 'https';
  down: boolean;
  /** `certs.d/HOST[:PORT]/ca.crt`, for TLS registries. */
  caFile: string | null;
}

export interface StandaloneMocks {
  registries: StandaloneRegistry[];
  dir: string;
  certsDir: string;
  /** One folder with the shared CA as ca.crt: for `--cert-dir` (pullpath, skopeo), used for every host. */
  caDir: string | null;
  registriesConf: string;
  dropinDir: string;
  authFile: string | null;
  /** `sigstore.pub`: the public key the mocks sign with, when any registry signs. */
  sigstoreKey: string | null;
  /** `gpg.pub`: the armored OpenPGP key the mocks' GPG (lookaside) signatures verify with, when any registry signs with gpg. */
  gpgKey: string | null;
  /** `policy.json` (key placeholders filled) and the `registries.d` folder, when the scenario gives them. */
  policy: string | null;
  registriesD: string | null;
  /** `--connect-to HOST[:PORT]:ADDR:PORT` values (pullpath's host map). */
  connectTo: string[];
  /** `/etc/hosts` lines; meaningful only with `samePorts` (the hosts file cannot change a port). */
  hostsLines: string[];
  samePorts: boolean;
  close(): Promise<void>;
}

export interface StandaloneOptions {
  samePorts?: boolean;
  /** `--listen NAME=ADDR:PORT` requests (not with samePorts). */
  listen?: ListenRequest[];
  /** `--base-port N`: the i-th registry on 127.0.0.1:N+i (not with samePorts). */
  basePort?: number | null;
  seed?: number;
}

function configuredPort(host: string, tls: boolean): number {
  return splitHostPort(host).port ?? (tls ? 443 : 80);
}

/** Same ports: 127.0.0.(i+2) on the port the configured name implies. */
function samePortsPlacement(s: Scenario): ListenAddress[] {
  return s.mocks.map((m, i) => ({ bind: `127.0.0.${i + 2}`, port: configuredPort(m.host, m.spec.tls === true) }));
}

/** Starts every registry at its placed address (null: a random port on 127.0.0.1), sharing a clock, CA and cache. */
async function startPlaced(s: Scenario, certsDir: string, seed: number, placed: readonly (ListenAddress | null)[]): Promise<RunningMockRegistry[]> {
  const clock = createRealClock();
  const ca = s.mocks.some((m) => m.spec.tls) ? await createMockCa() : undefined;
  const cache: ImageCache = new Map();
  // One key pair for the whole set, as startMockRegistries shares one: the policy names a single key.
  const sigstore = s.mocks.some((m) => specSigns(m.spec)) ? createMockSigningKeys() : undefined;
  const gpg = s.mocks.some((m) => specSignsGpg(m.spec)) ? await createMockGpgKeys() : undefined;
  const started: RunningMockRegistry[] = [];
  try {
    for (const [i, m] of s.mocks.entries()) {
      const bind = placed[i]?.bind ?? '127.0.0.1';
      const port = placed[i]?.port ?? 0;
      try {
        started.push(
          await startMockRegistry(m.spec, { host: bind, port, clock, cache, certDir: certsDir, seed: deriveSeed(seed, m.host), ...(ca ? { ca } : {}), ...(sigstore ? { sigstore } : {}), ...(gpg ? { gpg } : {}) }),
        );
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const hint =
          code === 'EACCES'
            ? `; ports under 1024 need privileges (run as root, or give node CAP_NET_BIND_SERVICE, or give the registry a port ≥ 1024 in the scenario)`
            : code === 'EADDRINUSE'
              ? '; another process listens there (choose another port)'
              : code === 'EADDRNOTAVAIL'
                ? '; no interface of this machine has that address'
                : '';
        throw new ConfigError(`${s.file}: ${m.key}: cannot listen on ${bind.includes(':') ? `[${bind}]` : bind}:${port} for ${m.host}: ${code ?? (err as Error).message}${hint}`, { file: s.file });
      }
    }
  } catch (err) {
    await Promise.all(started.map((r) => r.close()));
    throw err;
  }
  return started;
}

/** Starts the scenario's registries and writes its files; `close()` stops them and removes the folder. */
export async function startStandaloneMocks(s: Scenario, opts: StandaloneOptions = {}): Promise<StandaloneMocks> {
  const dir = await mkdtemp(join(tmpdir(), 'pullpath-mock-'));
  const certsDir = join(dir, 'certs.d');
  const seed = opts.seed ?? 1;
  let running: RunningMockRegistry[] = [];
  let closeAll = async (): Promise<void> => undefined;
  try {
    const fixed = (opts.listen?.length ?? 0) > 0 || (opts.basePort ?? null) !== null;
    if (opts.samePorts && fixed) throw new UsageError('--same-ports cannot be combined with --listen or --base-port');
    if (opts.samePorts || fixed) {
      const placed = opts.samePorts ? samePortsPlacement(s) : placeRegistries(s.mocks.map((m) => m.host), opts.listen ?? [], opts.basePort ?? null);
      running = await startPlaced(s, certsDir, seed, placed);
      const list = running;
      closeAll = async () => {
        await Promise.all(list.map((r) => r.close()));
      };
    } else {
      const set = await startMockRegistries(s.mocks.map((m) => m.spec), { certDir: certsDir, seed });
      running = set.registries;
      closeAll = () => set.close();
    }
    const registriesConf = join(dir, 'registries.conf');
    const dropinDir = join(dir, 'registries.conf.d');
    // The files as the scenario's pulls see them (rendered, when the scenario gives cluster objects).
    const prepared = prepareScenario(s);
    await writeFile(registriesConf, prepared.main.text);
    await mkdir(dropinDir, { recursive: true });
    for (const [i, d] of prepared.dropins.entries()) {
      const name = /\(([^()]+\.conf)\)$/.exec(d.path)?.[1] ?? basename(d.path).replace(/^(?!.*\.conf$).*$/, `${String(i).padStart(2, '0')}-dropin.conf`);
      await writeFile(join(dropinDir, name), d.text);
    }
    const caPem = running.find((r) => r.caPem !== undefined)?.caPem;
    let caDir: string | null = null;
    if (caPem !== undefined) {
      caDir = join(dir, 'ca');
      await mkdir(caDir, { recursive: true });
      await writeFile(join(caDir, 'ca.crt'), caPem);
    }
    let authFile: string | null = null;
    if (s.authJson !== null) {
      authFile = join(dir, 'auth.json');
      await writeFile(authFile, s.authJson, { mode: 0o600 });
    }
    const signed = await writeSignatureFiles(
      s,
      dir,
      running.find((r) => r.sigstorePublicKeyPem !== undefined)?.sigstorePublicKeyPem,
      running.find((r) => r.gpgPublicKeyArmored !== undefined)?.gpgPublicKeyArmored,
    );
    const registries: StandaloneRegistry[] = running.map((r) => ({
      host: r.host,
      address: r.address,
      scheme: r.scheme,
      down: r.spec.down === true,
      caFile: r.caPem !== undefined ? join(certsDir, r.host, 'ca.crt') : null,
    }));
    const connectTo = running.map((r) => {
      const { host, port } = splitHostPort(r.host);
      return `${port === null ? host : `${host}:${port}`}:${r.address.replace(/:\d+$/, '')}:${r.port}`;
    });
    const hostsLines = running.map((r) => `${r.address.replace(/:\d+$/, '')} ${stripPort(r.host)}`);
    return {
      registries,
      dir,
      certsDir,
      caDir,
      registriesConf,
      dropinDir,
      authFile,
      ...signed,
      connectTo,
      hostsLines,
      samePorts: opts.samePorts === true,
      async close() {
        await closeAll().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await closeAll().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** sigstore.pub, gpg.pub, policy.json (the keys filled in) and registries.d/*.yaml: what skopeo/podman need for the same checks. */
async function writeSignatureFiles(s: Scenario, dir: string, pem: string | undefined, armored: string | undefined): Promise<Pick<StandaloneMocks, 'sigstoreKey' | 'gpgKey' | 'policy' | 'registriesD'>> {
  let sigstoreKey: string | null = null;
  if (pem !== undefined) {
    sigstoreKey = join(dir, 'sigstore.pub');
    await writeFile(sigstoreKey, pem);
  }
  let gpgKey: string | null = null;
  if (armored !== undefined) {
    gpgKey = join(dir, 'gpg.pub');
    await writeFile(gpgKey, armored);
  }
  const filled = scenarioPolicy(s, sigstoreKey !== null && pem !== undefined ? { path: sigstoreKey, pem } : null, gpgKey !== null && armored !== undefined ? { path: gpgKey, armored } : null);
  let policy: string | null = null;
  if (filled !== null) {
    policy = join(dir, 'policy.json');
    await writeFile(policy, filled.text);
  }
  let registriesD: string | null = null;
  const files = s.config.registriesD ?? [];
  if (files.length > 0) {
    registriesD = join(dir, 'registries.d');
    await mkdir(registriesD, { recursive: true });
    for (const f of files) await writeFile(join(registriesD, f.name), f.text);
  }
  return { sigstoreKey, gpgKey, policy, registriesD };
}
