/**
 * A scenario's world: its mock registries on loopback ports, a host map routing each configured host
 * name to its mock (names in configs are data and are never dialled), a temporary certs.d folder
 * trusting the mocks' CA, and the scenario's auth.json in a private temporary file. `close()` undoes all.
 */
import { mkdir, mkdtemp, rm, writeFile } from '../fs-async.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../mock/start.ts';
import { CredentialStore } from '../registry/auth-file.ts';
import { createRegistryClient, type RegistryClient } from '../registry/client.ts';
import { HostMap, type HostMapEntry } from '../registry/host-map.ts';
import type { Policy } from '../policy/types.ts';
import type { SignatureContext } from '../signature/check-image.ts';
import type { RegistriesDConfig } from '../signature/registries-d.ts';
import { parseClusterPolicies, renderedRegistriesD, renderScenarioClusterObjects } from './cluster-policies.ts';
import { scenarioPolicy, scenarioRegistriesD, type GpgKeyFiles } from './signature-files.ts';
import type { Scenario } from './types.ts';

export interface ScenarioEnvironment {
  mocks: MockRegistrySet;
  hostMap: HostMap;
  /** The temporary folder: `certs.d/HOST[:PORT]/ca.crt` and `auth.json`. */
  dir: string;
  certsDir: string;
  authFile: string | null;
  /** `DIR/sigstore.pub`: the public key the mocks' sigstore signatures verify with (a policy's keyPath), when any mock signs. */
  sigstoreKeyPath: string | null;
  /** `DIR/gpg.pub`: the armored OpenPGP key the mocks' GPG (lookaside) signatures verify with, when any mock signs with gpg. */
  gpgKeyPath: string | null;
  /** `DIR/policy.json`: the scenario's policy with the key filled in (null when it gives none). */
  policyPath: string | null;
  /** `DIR/registries.d`: the scenario's registries.d files (null when it gives none). */
  registriesDDir: string | null;
  /** The parsed policy the pulls are judged with, and what the engine needs to verify signatures. */
  policy: Policy | null;
  /**
   * The policy CRI-O judges a pod in `namespace` with: its rendered `/etc/crio/policies/NS.json` (ImagePolicy
   * objects of that namespace), else `policy` (also for null).
   */
  policyFor(namespace: string | null): Policy | null;
  signatures: SignatureContext | null;
  client: RegistryClient;
  /** `--connect-to` values, one per mock, for other clients (`pullpath mock`). */
  connectTo: string[];
  close(): Promise<void>;
}

/** `mirror.example.com:5000` → host and port (null when the configured name has none). */
export function splitHostPort(hostPort: string): { host: string; port: number | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  const host = (m?.[1] ?? hostPort).replace(/^\[|\]$/g, '').toLowerCase();
  return { host, port: m?.[2] !== undefined ? Number(m[2]) : null };
}

/**
 * Host-map entries for the mocks. A name without a port matches any port, as the runtime dials
 * `quay.io` on 443 (or 80 for an insecure fallback) and both must reach the same mock.
 */
export function hostMapEntries(mocks: MockRegistrySet): HostMapEntry[] {
  return mocks.registries.flatMap((r) => {
    const { host, port } = splitHostPort(r.host);
    // The runtime dials registry-1.docker.io for docker.io: route both names to the docker.io mock.
    const names = host === 'docker.io' ? [host, 'registry-1.docker.io'] : [host];
    return names.map((h) => ({ host: h, port, addr: '127.0.0.1', toPort: r.port, spec: `${port === null ? h : `${h}:${port}`}:127.0.0.1:${r.port}` }));
  });
}

export interface EnvironmentOptions {
  /** Fault seed (reproducible runs). Default 1. */
  seed?: number;
}

/** Starts the mocks and builds the client the engine pulls through. */
export async function startEnvironment(scenario: Scenario, opts: EnvironmentOptions = {}): Promise<ScenarioEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'pullpath-scenario-'));
  const certsDir = join(dir, 'certs.d');
  let mocks: MockRegistrySet | undefined;
  try {
    mocks = await startMockRegistries(
      scenario.mocks.map((m) => m.spec),
      { certDir: certsDir, seed: opts.seed ?? 1 },
    );
    let authFile: string | null = null;
    let credentials = CredentialStore.empty();
    if (scenario.authJson !== null) {
      authFile = join(dir, 'auth.json');
      await writeFile(authFile, scenario.authJson, { mode: 0o600 });
      // Hermetic: the scenario's file only (a home and environment of its own, so the user's files are not read).
      credentials = await CredentialStore.load({ authFile, home: dir, env: {} });
    }
    let sigstoreKeyPath: string | null = null;
    if (mocks.sigstorePublicKeyPem !== undefined) {
      sigstoreKeyPath = join(dir, 'sigstore.pub');
      await writeFile(sigstoreKeyPath, mocks.sigstorePublicKeyPem);
    }
    let gpgKeyPath: string | null = null;
    if (mocks.gpgPublicKeyArmored !== undefined) {
      gpgKeyPath = join(dir, 'gpg.pub');
      await writeFile(gpgKeyPath, mocks.gpgPublicKeyArmored);
    }
    const gpg = gpgKeyPath !== null && mocks.gpgPublicKeyArmored !== undefined ? { path: gpgKeyPath, armored: mocks.gpgPublicKeyArmored } : null;
    const signed = await writeSignatureFiles(scenario, dir, sigstoreKeyPath, mocks.sigstorePublicKeyPem, gpg);
    const entries = hostMapEntries(mocks);
    const hostMap = new HostMap(entries);
    // Only the scenario's certs.d: a developer's own ~/.config/containers/certs.d must not change results.
    const client = createRegistryClient({ hostMap, credentials, certs: { roots: [certsDir] } });
    const signatures: SignatureContext | null =
      signed.policy === null
        ? null
        : {
            registriesD: signed.registriesD,
            dispatchers: client.dispatchers,
            // Not the developer's own ~/.local/share/containers/sigstore: an empty store of the scenario's.
            builtinLookaside: `file://${join(dir, 'sigstore')}`,
          };
    const set = mocks;
    return {
      mocks: set,
      hostMap,
      dir,
      certsDir,
      authFile,
      sigstoreKeyPath,
      gpgKeyPath,
      policyPath: signed.policyPath,
      registriesDDir: signed.registriesDDir,
      policy: signed.policy,
      policyFor: (ns) => (ns === null ? undefined : signed.namespaced.get(ns)) ?? signed.policy,
      signatures,
      client,
      connectTo: entries.map((e) => e.spec),
      async close() {
        await client.close().catch(() => undefined);
        await set.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await mocks?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Writes DIR/policy.json (key placeholders filled), DIR/registries.d/*.yaml and DIR/policies/NS.json, for the
 * engine and for other clients. With ClusterImagePolicy/ImagePolicy in the cluster objects, those files are
 * rendered from them now that the key exists (prepare rendered them with a stand-in, cluster-policies.ts).
 */
async function writeSignatureFiles(scenario: Scenario, dir: string, keyPath: string | null, pem: string | undefined, gpg: GpgKeyFiles | null) {
  const key = keyPath !== null && pem !== undefined ? { path: keyPath, pem } : null;
  const cluster = (scenario.config?.clusterObjects ?? null) !== null ? renderScenarioClusterObjects(scenario, key, gpg) : null;
  let policyText: string | null = null;
  let policy: Policy | null = null;
  let namespaced = new Map<string, Policy>();
  let registriesDFiles: { name: string; text: string }[] = scenario.config?.registriesD ?? [];
  let registriesD: RegistriesDConfig;
  if (cluster?.hasImagePolicies) {
    const parsed = parseClusterPolicies(scenario, cluster.texts);
    policyText = cluster.texts.policyJson;
    policy = parsed.policy;
    namespaced = parsed.namespaced;
    const rendered = renderedRegistriesD(scenario, cluster.texts);
    registriesDFiles = [...registriesDFiles, ...rendered];
    registriesD = scenarioRegistriesD(scenario, rendered);
  } else {
    const filled = scenarioPolicy(scenario, key, gpg);
    policyText = filled?.text ?? null;
    policy = filled?.policy ?? null;
    registriesD = scenarioRegistriesD(scenario);
  }
  let policyPath: string | null = null;
  if (policyText !== null) {
    policyPath = join(dir, 'policy.json');
    await writeFile(policyPath, policyText);
  }
  let registriesDDir: string | null = null;
  if (registriesDFiles.length > 0) {
    registriesDDir = join(dir, 'registries.d');
    await mkdir(registriesDDir);
    for (const f of registriesDFiles) await writeFile(join(registriesDDir, f.name), f.text);
  }
  if (cluster?.hasImagePolicies && cluster.texts.namespacedPolicies.length > 0) {
    // As on the node (/etc/crio/policies/NS.json), for `pullpath policy --namespace`-style reuse by hand.
    await mkdir(join(dir, 'policies'));
    for (const p of cluster.texts.namespacedPolicies) await writeFile(join(dir, 'policies', `${p.namespace}.json`), p.json);
  }
  return { policy, namespaced, policyPath, registriesD, registriesDDir };
}
