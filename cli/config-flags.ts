/**
 * The configuration flags every command shares (resolve, lint, pull, verify, probe, …), named as podman and
 * skopeo name them. Spread `configFlagOptions` into a `node:util` parseArgs `options`, paste `configFlagsHelp`
 * into the command's help, and call `loadConfigFromFlags(values)`.
 *
 * @example
 *   const { values } = parseArgs({ args: argv, options: { ...configFlagOptions, output: { type: 'string' } } });
 *   const conf = await loadConfigFromFlags(values);
 */
import type { ProxyEnv } from '../src/proxy/proxy-for-url.ts';
import { ConfigError, UsageError } from '../src/errors.ts';
import type { RegistryClient } from '../src/registry/client.ts';
import type { SignatureContext } from '../src/signature/check-image.ts';
import { loadRegistriesD, parseRegistriesD, registriesDDir, type RegistriesDConfig } from '../src/signature/registries-d.ts';
import { loadRegistriesConf, type LoadedRegistriesConf, type LoadFilesOptions } from '../src/config/load-files.ts';
import { loadRegistriesConfFromTexts } from '../src/config/load-texts.ts';
import { formatRenderedFrom } from '../src/config/rendered-from.ts';
import type { CompatVersion, RegistriesConfig } from '../src/config/types.ts';
import type { OpenShiftConfigTexts } from '../src/openshift/to-config-texts.ts';
import { loadPolicyFile, parsePolicy } from '../src/policy/index.ts';
import type { Policy } from '../src/policy/types.ts';
import {
  loadTextsInputFromOpenShift,
  openShiftFlagOptions,
  openShiftFlagsHelp,
  openShiftTextsFromFlags,
  policyForNamespace,
  type OpenShiftFlagValues,
} from './openshift-flags.ts';
// --- containerd (issue 16): --runtime, --hosts-dir, --containerd-config; see cli/containerd-flags.ts ---
import { containerdFlagOptions, containerdFlagsHelp, runtimeFromFlags, type ContainerdFlagValues } from './containerd-flags.ts';
import type { ContainerdSetup } from '../src/containerd/setup.ts';
import { resolveContainerd } from '../src/containerd/resolve.ts';
import { compileConfig } from '../src/resolve/compile.ts';
import { resolveArg } from '../src/resolve/resolve.ts';
import type { Resolution } from '../src/resolve/resolution.ts';
// --- end containerd ---

export const configFlagOptions = {
  'registries-conf': { type: 'string' },
  'registries-conf-dir': { type: 'string' },
  'short-name-aliases': { type: 'string' },
  compat: { type: 'string' },
  policy: { type: 'string' },
  'registries.d': { type: 'string' },
  ...openShiftFlagOptions,
  ...containerdFlagOptions,
} as const;

export const configFlagsHelp = `Configuration (as podman, skopeo and CRI-O read it):
  --registries-conf FILE     registries.conf to use (must exist; - reads standard input); default drop-in
                             dirs are still read.
                             Default: $CONTAINERS_REGISTRIES_CONF, else ~/.config/containers/registries.conf
                             if it exists (it then hides the system file and system drop-ins), else
                             /etc/containers/registries.conf
  --registries-conf-dir DIR  read drop-ins (*.conf, sorted by name) from DIR only, instead of
                             /etc/containers/registries.conf.d then ~/.config/containers/registries.conf.d
  --short-name-aliases FILE  user short-name alias cache (default $XDG_CACHE_HOME or ~/.cache, then
                             containers/short-name-aliases.conf; as root /var/cache/containers/…)
  --compat VERSION           containers/image behaviour to emulate where versions differ: 5.23 (default,
                             classic file discovery, V1 files accepted, mirror trailing "/" kept) or 5.40
                             (v5.40 discovery: user and system drop-ins always merged by file name,
                             /usr/share/containers, $CONTAINERS_REGISTRIES_CONF reads no drop-ins;
                             V1 refused, mirror locations trimmed, v5.40 error texts)
  --policy FILE              containers-policy.json (- for standard input) to judge every reference with (verdict and the scope
                             that decided; resolve, pull, verify); with --openshift, the rendered
                             policy.json is used by default
  --registries.d DIR         where signatures are looked for when the policy requires them (lookaside
                             stores, use-sigstore-attachments), as skopeo's flag. Default:
                             ~/.config/containers/registries.d if it exists, else
                             /etc/containers/registries.d; with --openshift, the rendered
                             sigstore-registries.yaml

${openShiftFlagsHelp}

${containerdFlagsHelp}`;

/** The parsed values of the flags above (what parseArgs returns for them). */
export interface ConfigFlagValues extends OpenShiftFlagValues, ContainerdFlagValues {
  policy?: string | undefined;
  'registries-conf'?: string | undefined;
  'registries-conf-dir'?: string | undefined;
  'short-name-aliases'?: string | undefined;
  compat?: string | undefined;
  'registries.d'?: string | undefined;
}

const COMPAT_VERSIONS: Record<string, CompatVersion> = { '5.23': '5.23', '5.40': '5.40', '5.23.1': '5.23', '5.40.0': '5.40' };

/** `--compat` value → CompatVersion; UsageError on anything else. */
export function parseCompat(value: string | undefined): CompatVersion {
  if (value === undefined) return '5.23';
  const v = COMPAT_VERSIONS[value.replace(/^v/, '')];
  if (v === undefined) throw new UsageError(`--compat: expected 5.23 or 5.40, got "${value}"`);
  return v;
}

/** Flags → loader options. `env`/`home` may be injected (tests); defaults are the process's. */
export function loadOptionsFromFlags(values: ConfigFlagValues, extra: Partial<LoadFilesOptions> = {}): LoadFilesOptions {
  const opts: LoadFilesOptions = { compat: parseCompat(values.compat), ...extra };
  if (values['registries-conf'] !== undefined) opts.registriesConf = values['registries-conf'];
  if (values['registries-conf-dir'] !== undefined) opts.registriesConfDir = values['registries-conf-dir'];
  if (values['short-name-aliases'] !== undefined) opts.shortNameAliases = values['short-name-aliases'];
  return opts;
}

/** Loads the configuration the flags select. Throws ConfigError (naming the file) or UsageError (bad --compat). */
export async function loadConfigFromFlags(values: ConfigFlagValues, extra: Partial<LoadFilesOptions> = {}): Promise<RegistriesConfig> {
  return (await loadSetupFromFlags(values, extra)).config;
}

/** What a command works from: the registries configuration and, when asked for, the signature policy. */
export interface Setup {
  config: RegistriesConfig;
  /** From --policy, or rendered from --openshift objects; null when neither was given. */
  policy: Policy | null;
  /** The OpenShift render, when the configuration came from cluster objects. */
  openshift: OpenShiftConfigTexts | null;
  /**
   * The proxy environment CRI-O gets from the cluster's proxy.config.openshift.io object (--openshift with a
   * Proxy object among the objects), or null: the process environment applies.
   */
  proxyEnv: ProxyEnv | null;
  /** With --runtime containerd: the hosts.toml model (then `config` is an empty registries configuration). */
  containerd?: ContainerdSetup | null;
}

/**
 * The resolver the flags select: containers/image rules over `setup.config`, or containerd's over
 * `setup.containerd`. Commands call this instead of compileConfig + resolveArg so both runtimes go one way.
 */
export function resolverFromSetup(setup: Setup): (arg: string) => Resolution {
  const ctrd = setup.containerd;
  if (ctrd) return (arg) => resolveContainerd(ctrd, arg);
  const compiled = compileConfig(setup.config);
  return (arg) => resolveArg(compiled, arg);
}

/**
 * Loads the registries configuration and the policy the flags select. `--openshift` replaces the registries.conf
 * flags (the node files are rendered in memory as the MCO would); mixing both is a usage error.
 */
export async function loadSetupFromFlags(values: ConfigFlagValues, extra: Partial<LoadFilesOptions> = {}): Promise<Setup> {
  // --- containerd: hosts.toml trees instead of registries.conf ---
  if (runtimeFromFlags(values) === 'containerd') {
    for (const flag of ['registries-conf', 'registries-conf-dir', 'short-name-aliases', 'openshift'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be combined with --runtime containerd (containerd reads hosts.toml, see --hosts-dir)`);
    }
    const { loadContainerdSetupFromFlags } = await import('./containerd-load.ts');
    const containerd = await loadContainerdSetupFromFlags(values);
    const config = loadRegistriesConfFromTexts({ main: null, mainPath: '(none: --runtime containerd)', dropins: [] });
    const policy = values.policy !== undefined ? await loadPolicyFile(values.policy) : null;
    return { config, policy, openshift: null, proxyEnv: null, containerd };
  }
  // --- end containerd ---
  const openshift = await openShiftTextsFromFlags(values);
  let config: RegistriesConfig;
  if (openshift !== null) {
    for (const flag of ['registries-conf', 'registries-conf-dir'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be combined with --openshift (the objects are rendered to the node files)`);
    }
    const rendered = loadRegistriesConfFromTexts({ ...loadTextsInputFromOpenShift(openshift), compat: parseCompat(values.compat) });
    // Loaded with --openshift only: the renderer behind it brings node:crypto and the YAML tooling (start-up).
    const { attributeRenderedOrigins } = await import('../src/openshift/provenance.ts');
    config = attributeRenderedOrigins(rendered, openshift.provenance);
  } else {
    config = (await loadRegistriesConf(loadOptionsFromFlags(values, extra))).config;
  }
  let policy: Policy | null = null;
  if (values.policy !== undefined) policy = await loadPolicyFile(values.policy);
  else if (openshift !== null) {
    const chosen = policyForNamespace(openshift, values.namespace);
    policy = parsePolicy(chosen.json, chosen.label ?? formatRenderedFrom(openshift.policySources));
  }
  if (values.namespace !== undefined && openshift === null) throw new UsageError('--namespace applies to --openshift objects (their rendered /etc/crio/policies/NS.json)');
  return { config, policy, openshift, proxyEnv: openshift?.proxyEnv ?? null };
}

/** As `loadConfigFromFlags`, also returning the texts read (for lint and explanations). */
export async function loadConfigWithTextsFromFlags(
  values: ConfigFlagValues,
  extra: Partial<LoadFilesOptions> = {},
): Promise<LoadedRegistriesConf> {
  return loadRegistriesConf(loadOptionsFromFlags(values, extra));
}

/**
 * What the engine needs to verify signatures as the runtime does (registries.d, the client's dispatchers for
 * http lookaside stores), or null when no policy is in force. With --openshift and no --registries.d, the
 * rendered /etc/containers/registries.d/sigstore-registries.yaml is the registries.d.
 */
export async function signatureContextFromFlags(values: ConfigFlagValues, setup: Setup, client: RegistryClient): Promise<SignatureContext | null> {
  if (setup.policy === null) return null;
  let registriesD: RegistriesDConfig;
  try {
    registriesD =
      setup.openshift !== null && values['registries.d'] === undefined
        ? parseRegistriesD(setup.openshift.registriesD)
        : await loadRegistriesD(await registriesDDir(values['registries.d']));
  } catch (err) {
    throw new ConfigError(`registries.d: ${(err as Error).message}`, { code: 'PP_ERR_REGISTRIES_D', ...(values['registries.d'] ? { file: values['registries.d'] } : {}) });
  }
  // sigstoreSigned policies come from runtimes newer than 5.23 (OpenShift 4.16+ ships containers/image ≥ 5.29, with
  // keyPaths, Fulcio, Rekor and PKI): the current rules apply unless --compat is given explicitly.
  return { registriesD, dispatchers: client.dispatchers, compat: values.compat !== undefined ? parseCompat(values.compat) : '5.40' };
}
