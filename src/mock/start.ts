/**
 * Starting mock registries: one (`startMockRegistry`) or a set sharing a clock, a CA and an image build
 * cache (`startMockRegistries`), which is what a scenario needs.
 */
import { createMockSigningKeys, type MockSigningKeys } from './sigstore-sign.ts';
import type { FaultRule, MockRegistrySpec } from './spec.ts';
import type { MockRegistryStats } from './stats.ts';
import { createRegistryHandler } from './handler.ts';
import { serveRegistry } from './node-server.ts';
import { createRealClock, type MockClock } from './clock.ts';
import { createMockCa, createServerCert, stripPort, writeCertsDir, type MockCa } from './tls.ts';
import { cachedBuild, type ImageCache } from './content-store.ts';
import { createMockGpgKeys, imageSignsGpg, signGpgVariants, type MockGpgKeys } from './gpg-sign.ts';
import { deriveSeed } from './prng.ts';
import { ConfigError } from '../errors.ts';

export interface StartMockOptions {
  /** Seed for fault draws (probability, latency). Default 1. Image bytes never depend on it. */
  seed?: number;
  /** Port to listen on. Default 0 (any free port). */
  port?: number;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** With `tls`: write `certDir/<spec.host>/ca.crt` and `certDir/<bind>:<port>/ca.crt` (containers-certs.d layout). */
  certDir?: string;
  /** Clock for timelines and token expiry. Default: a real clock started now. */
  clock?: MockClock;
  /** CA to sign the server certificate with (a set shares one). Default: a new CA. */
  ca?: MockCa;
  /** Build cache shared by several registries. */
  cache?: ImageCache;
  /** Sigstore signing keys (a set shares one pair). Default: generated when the spec signs anything. */
  sigstore?: MockSigningKeys;
  /** GPG signing keys (a set shares one pair). Default: generated when the spec signs anything with gpg. */
  gpg?: MockGpgKeys;
}

/** A running mock registry. */
export interface RunningMockRegistry {
  /** The host name from the spec (`mirror.example.com`): what configs say; route it to `address`. */
  host: string;
  /** `127.0.0.1:PORT`, where it listens: the host map's target. */
  address: string;
  port: number;
  scheme: 'http' | 'https';
  /** `scheme://127.0.0.1:PORT`. */
  origin: string;
  /** The ping URL, `origin + '/v2/'`. */
  url: string;
  /** The CA certificate (PEM) that signed its server certificate, when TLS is on. */
  caPem: string | undefined;
  /** The public key (PEM) its sigstore signatures verify with, when it signs images: write it where the policy's keyPath points. */
  sigstorePublicKeyPem: string | undefined;
  /** The armored OpenPGP public key its GPG (lookaside) signatures verify with, when it signs with gpg: a `signedBy` keyPath. */
  gpgPublicKeyArmored: string | undefined;
  /** ca.crt files written under `certDir`. */
  certPaths: string[];
  clock: MockClock;
  spec: MockRegistrySpec;
  stats(): MockRegistryStats;
  /** Replace the fault rules at run time (counters restart). */
  setFaults(rules: FaultRule[]): void;
  /** True while the listener is open (false during a `refuse` window or when `down`). */
  listening(): boolean;
  close(): Promise<void>;
}

/**
 * Start one mock registry on loopback.
 *
 * @example
 * const reg = await startMockRegistry({ host: 'mirror.example.com', images: [{ repository: 'org/app', tags: ['1.4'] }] });
 * await fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } });
 * await reg.close();
 */
export async function startMockRegistry(spec: MockRegistrySpec, opts: StartMockOptions = {}): Promise<RunningMockRegistry> {
  const clock = opts.clock ?? createRealClock();
  const bindHost = opts.host ?? '127.0.0.1';
  const sigstore = opts.sigstore ?? (specSigns(spec) ? createMockSigningKeys() : undefined);
  const gpgKeys = opts.gpg ?? (specSignsGpg(spec) ? await createMockGpgKeys() : undefined);
  const gpg = gpgKeys && specSignsGpg(spec) ? await signGpgVariants(spec, (im) => cachedBuild(im, opts.cache), gpgKeys) : undefined;
  const handler = createRegistryHandler(spec, { clock, seed: opts.seed ?? 1, ...(opts.cache ? { cache: opts.cache } : {}), ...(sigstore ? { sigstore } : {}), ...(gpg ? { gpg } : {}) });
  let tls: { certPem: string; keyPem: string } | undefined;
  let ca: MockCa | undefined;
  if (spec.tls) {
    ca = opts.ca ?? (await createMockCa());
    // Docker Hub's certificate also covers registry-1.docker.io, the host every runtime dials for docker.io.
    const dockerHub = spec.host.replace(/:\d+$/, '') === 'docker.io' ? ['registry-1.docker.io'] : [];
    tls = await createServerCert(ca, [spec.host, ...dockerHub, 'localhost', '127.0.0.1', bindHost]);
  }
  const served = await serveRegistry(handler, { bindHost, port: opts.port ?? 0, clock, ...(tls ? { tls } : {}), ...(spec.down ? { down: true } : {}) });
  const address = `${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${served.port}`;
  const scheme = tls ? 'https' : 'http';
  const certPaths = ca !== undefined && opts.certDir !== undefined ? await writeCertsDir(opts.certDir, [spec.host, address], ca.certPem) : [];
  return {
    host: spec.host,
    address,
    port: served.port,
    scheme,
    origin: `${scheme}://${address}`,
    url: `${scheme}://${address}/v2/`,
    caPem: ca?.certPem,
    sigstorePublicKeyPem: sigstore?.publicKeyPem,
    gpgPublicKeyArmored: gpgKeys?.publicKeyArmored,
    certPaths,
    clock,
    spec,
    stats: () => handler.stats(),
    setFaults(rules) {
      handler.setFaults(rules);
      served.rescheduleRefuse();
    },
    listening: () => served.listening(),
    close: () => served.close(),
  };
}

/** Several registries started together: one clock (so timelines line up), one CA, one build cache. */
export interface MockRegistrySet {
  registries: RunningMockRegistry[];
  /** By the spec's host name. */
  get(host: string): RunningMockRegistry | undefined;
  /** `{ 'mirror.example.com': '127.0.0.1:41234', … }`: what a host map needs (also keyed without the port). */
  hostMap: Record<string, string>;
  /** The shared CA (PEM), when any registry uses TLS. */
  caPem: string | undefined;
  /** The sigstore public key (PEM) shared by the set, when any registry signs. */
  sigstorePublicKeyPem: string | undefined;
  /** The armored OpenPGP public key shared by the set, when any registry signs with gpg. */
  gpgPublicKeyArmored: string | undefined;
  clock: MockClock;
  stats(): MockRegistryStats[];
  close(): Promise<void>;
}

/**
 * Start a set of registries. Each gets its own fault seed derived from `seed` and its host name, so adding
 * a registry does not change another's draws.
 */
export async function startMockRegistries(specs: MockRegistrySpec[], opts: Omit<StartMockOptions, 'port' | 'ca' | 'cache'> = {}): Promise<MockRegistrySet> {
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.host)) throw new ConfigError(`registry host "${s.host}" is declared twice; give each [[registry]] a distinct host`);
    seen.add(s.host);
  }
  const clock = opts.clock ?? createRealClock();
  const ca = specs.some((s) => s.tls) ? await createMockCa() : undefined;
  const cache: ImageCache = new Map();
  // One signing key pair per set (per scenario), so one policy key verifies every registry's signatures.
  const sigstore = opts.sigstore ?? (specs.some(specSigns) ? createMockSigningKeys() : undefined);
  const gpg = opts.gpg ?? (specs.some(specSignsGpg) ? await createMockGpgKeys() : undefined);
  const registries: RunningMockRegistry[] = [];
  try {
    for (const spec of specs) {
      registries.push(
        await startMockRegistry(spec, { ...opts, clock, cache, seed: deriveSeed(opts.seed ?? 1, spec.host), ...(ca ? { ca } : {}), ...(sigstore ? { sigstore } : {}), ...(gpg ? { gpg } : {}) }),
      );
    }
  } catch (err) {
    await Promise.all(registries.map((r) => r.close()));
    throw err;
  }
  const hostMap: Record<string, string> = {};
  for (const r of registries) {
    hostMap[r.host] = r.address;
    hostMap[stripPort(r.host)] ??= r.address;
  }
  return {
    registries,
    get: (host) => registries.find((r) => r.host === host),
    hostMap,
    caPem: ca?.certPem,
    sigstorePublicKeyPem: sigstore?.publicKeyPem,
    gpgPublicKeyArmored: gpg?.publicKeyArmored,
    clock,
    stats: () => registries.map((r) => r.stats()),
    close: async () => {
      await Promise.all(registries.map((r) => r.close()));
    },
  };
}

/** Does this registry serve any signed image? */
export function specSigns(spec: MockRegistrySpec): boolean {
  return (spec.images ?? []).some((im) => (im.signatures ?? spec.signatures) === 'sigstore');
}

/** Does this registry serve any GPG-signed image (lookaside)? */
export function specSignsGpg(spec: MockRegistrySpec): boolean {
  return (spec.images ?? []).some((im) => imageSignsGpg(im, spec));
}
