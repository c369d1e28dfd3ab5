/**
 * BEFORE and AFTER for `pullpath diff`: each a configuration as every command takes it — a registries.conf
 * (+ drop-in dir), cluster objects (--openshift), or a node's file tree (--root, as `render --diff` reads
 * it) — from `--before-*` / `--after-*` flags or from a positional path whose kind is detected. Loading
 * goes through the shared loaders (cli/config-flags.ts, cli/openshift-flags.ts); this file only maps the
 * side's flags onto them and collects the node files each side states, for the MCO impact.
 */
import { readdir, readFile, stat } from '../../src/fs-async.ts';
import { basename, extname, join } from 'node:path';
import { UsageError } from '../../src/errors.ts';
import type { DiffSide } from '../../src/diff/run-diff.ts';
import { CRIO_POLICIES, POLICY_JSON, REGISTRIES_CONF, REGISTRIES_D } from '../../src/diff/mco-impact.ts';
import { NODE_PATHS } from '../../src/openshift/render.ts';
import { loadSetupFromFlags, parseCompat, type ConfigFlagValues } from '../config-flags.ts';
import { loadTextsInputFromOpenShift, openShiftTextsFromFlags } from '../openshift-flags.ts';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { formatRenderedFrom } from '../../src/config/rendered-from.ts';
import type { ConfigText } from '../../src/config/types.ts';
import { attributeRenderedOrigins } from '../../src/openshift/provenance.ts';
import { loadPolicyFile, parsePolicy } from '../../src/policy/index.ts';
import { parseContainerdCompat } from '../containerd-flags.ts';
import { resolveContainerd } from '../../src/containerd/resolve.ts';

export type SideKind = 'registries-conf' | 'openshift' | 'root' | 'hosts-dir';

/** What one side was given: its kind and paths (from flags or a detected positional). */
export interface SideSpec {
  kind: SideKind;
  /** registries.conf FILE, the ROOT dir, or the --openshift paths. */
  paths: string[];
  registriesConfDir?: string;
  policy?: string;
}

/** The per-side flags, `--before-X` and `--after-X` for X in registries-conf(-dir), openshift, root, policy. */
export function sideFlagOptions(side: 'before' | 'after') {
  return {
    [`${side}-registries-conf`]: { type: 'string' },
    [`${side}-registries-conf-dir`]: { type: 'string' },
    [`${side}-openshift`]: { type: 'string', multiple: true },
    [`${side}-root`]: { type: 'string' },
    [`${side}-policy`]: { type: 'string' },
    [`${side}-hosts-dir`]: { type: 'string', multiple: true },
  } as const;
}

type Values = Record<string, string | string[] | boolean | undefined>;

/** The side's spec from its flags, or null when none of them was given. */
export function specFromFlags(values: Values, side: 'before' | 'after'): SideSpec | null {
  const get = (f: string) => values[`${side}-${f}`];
  const conf = get('registries-conf') as string | undefined;
  const os = get('openshift') as string[] | undefined;
  const root = get('root') as string | undefined;
  const hostsDirs = get('hosts-dir') as string[] | undefined;
  const given = [conf !== undefined, os !== undefined && os.length > 0, root !== undefined, hostsDirs !== undefined && hostsDirs.length > 0].filter(Boolean).length;
  const dir = get('registries-conf-dir') as string | undefined;
  const policy = get('policy') as string | undefined;
  if (given === 0) {
    if (dir !== undefined) throw new UsageError(`--${side}-registries-conf-dir needs --${side}-registries-conf`);
    return null; // --X-policy alone: the positional path gives the rest (the command adds the policy)
  }
  if (given > 1) throw new UsageError(`${side}: give one of --${side}-registries-conf, --${side}-openshift, --${side}-root, --${side}-hosts-dir`);
  const extra = { ...(dir !== undefined ? { registriesConfDir: dir } : {}), ...(policy !== undefined ? { policy } : {}) };
  if (conf !== undefined) return { kind: 'registries-conf', paths: [conf], ...extra };
  if (root !== undefined) return { kind: 'root', paths: [root], ...extra };
  if (hostsDirs !== undefined && hostsDirs.length > 0) return { kind: 'hosts-dir', paths: hostsDirs, ...extra };
  return { kind: 'openshift', paths: os!, ...extra };
}

/**
 * A positional path's kind: a directory holding etc/containers is a node root, any other directory a
 * folder of cluster objects; a .yaml/.yml/.json file is cluster objects, any other file a registries.conf.
 */
export async function detectKind(path: string): Promise<SideKind> {
  if (path === '-') throw new UsageError('a positional BEFORE/AFTER cannot be standard input: use --before-openshift - or --after-registries-conf -');
  const st = await stat(path).catch(() => null);
  if (st === null) throw new UsageError(`${path}: no such file or directory (expected a registries.conf, cluster objects or a node root)`);
  if (st.isDirectory()) {
    const etc = await stat(join(path, 'etc', 'containers')).catch(() => null);
    if (etc?.isDirectory() === true) return 'root';
    // containerd: a directory of host directories holding hosts.toml (certs.d).
    if (await isHostsDir(path)) return 'hosts-dir';
    return 'openshift';
  }
  return ['.yaml', '.yml', '.json'].includes(extname(path).toLowerCase()) ? 'openshift' : 'registries-conf';
}

/** A containerd hosts directory root: some subdirectory holds a hosts.toml. */
async function isHostsDir(path: string): Promise<boolean> {
  const names = await readdir(path).catch(() => [] as string[]);
  for (const n of names) if ((await stat(join(path, n, 'hosts.toml')).catch(() => null))?.isFile() === true) return true;
  return false;
}

/** Shared flags every side uses (compat, short-name aliases, OpenShift release line and payload). */
export interface SharedFlags {
  compat?: string | undefined;
  'short-name-aliases'?: string | undefined;
  'ocp-version'?: string | undefined;
  'release-image'?: string | undefined;
}

async function readOrNull(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

async function dirFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.sort().map((n) => join(dir, n));
}

/** A node root's files the MCO manages: registries.conf, policy.json, the drop-ins, registries.d, CRI-O policies. */
async function rootNodeFiles(root: string): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  for (const p of [REGISTRIES_CONF, POLICY_JSON, NODE_PATHS.searchRegistries]) files.set(p, await readOrNull(join(root, p)));
  for (const dir of ['/etc/containers/registries.conf.d', REGISTRIES_D, CRIO_POLICIES]) {
    for (const f of await dirFiles(join(root, dir))) {
      const text = await readOrNull(f);
      if (text !== null) files.set(`${dir}/${basename(f)}`, text);
    }
  }
  return files;
}

const DROPIN_DIR = '/etc/containers/registries.conf.d';

/** The drop-ins on a node root that the MCO does not write (another operator's, an admin's), sorted by name. */
async function foreignDropins(root: string): Promise<ConfigText[]> {
  const out: ConfigText[] = [];
  for (const f of await dirFiles(join(root, DROPIN_DIR))) {
    if (!f.endsWith('.conf') || basename(f) === basename(NODE_PATHS.searchRegistries)) continue;
    const text = await readOrNull(f);
    if (text !== null) out.push({ path: f, text });
  }
  return out;
}

/**
 * Cluster objects applied to a node root: the MCO rewrites registries.conf, policy.json and the search drop-in,
 * and leaves the node's other drop-ins in place, so those still count in the resolution (merged by file name,
 * as the runtime reads the directory).
 */
async function openShiftOverRoot(spec: SideSpec, shared: SharedFlags, root: string): Promise<{ config: DiffSide['config']; policy: DiffSide['policy']; files: { registriesConf: string; policyJson: string; searchRegistries: string | null } }> {
  const os = (await openShiftTextsFromFlags({
    openshift: spec.paths,
    ...(shared['ocp-version'] !== undefined ? { 'ocp-version': shared['ocp-version'] } : {}),
    ...(shared['release-image'] !== undefined ? { 'release-image': shared['release-image'] } : {}),
  }))!;
  const input = loadTextsInputFromOpenShift(os);
  const dropins = [...input.dropins, ...(await foreignDropins(root))].sort((a, b) => (basename(a.path) < basename(b.path) ? -1 : basename(a.path) > basename(b.path) ? 1 : 0));
  const config = attributeRenderedOrigins(loadRegistriesConfFromTexts({ ...input, dropins, compat: parseCompat(shared.compat) }), os.provenance);
  const policy = spec.policy !== undefined ? await loadPolicyFile(spec.policy) : parsePolicy(os.policyJson, formatRenderedFrom(os.policySources));
  return { config, policy, files: os.render.files };
}

/**
 * Loads one side: its configuration, policy (when it has one) and the node files it states. `otherRoot`: the
 * other side's node root, when it is one, so that cluster objects are applied onto that node's files.
 */
export async function loadSide(spec: SideSpec, shared: SharedFlags, otherRoot?: string): Promise<DiffSide> {
  // --- containerd: a hosts.toml tree, resolved by containerd's rules ---
  if (spec.kind === 'hosts-dir') return loadHostsDirSide(spec, shared);
  // --- end containerd ---
  const values: ConfigFlagValues = {};
  if (shared.compat !== undefined) values.compat = shared.compat;
  if (shared['short-name-aliases'] !== undefined) values['short-name-aliases'] = shared['short-name-aliases'];
  if (spec.policy !== undefined) values.policy = spec.policy;
  const nodeFiles = new Map<string, string | null>();
  if (spec.kind === 'openshift' && otherRoot !== undefined) {
    const { config, policy, files: f } = await openShiftOverRoot(spec, shared, otherRoot);
    nodeFiles.set(REGISTRIES_CONF, f.registriesConf);
    nodeFiles.set(POLICY_JSON, spec.policy !== undefined ? await readOrNull(spec.policy) : f.policyJson);
    nodeFiles.set(NODE_PATHS.searchRegistries, f.searchRegistries);
    return { config, policy, nodeFiles };
  }
  if (spec.kind === 'openshift') {
    values.openshift = spec.paths;
    if (shared['ocp-version'] !== undefined) values['ocp-version'] = shared['ocp-version'];
    if (shared['release-image'] !== undefined) values['release-image'] = shared['release-image'];
    const setup = await loadSetupFromFlags(values);
    const f = setup.openshift!.render.files;
    // The MCO writes these three; other node files are left alone, so they are not stated.
    nodeFiles.set(REGISTRIES_CONF, f.registriesConf);
    nodeFiles.set(POLICY_JSON, spec.policy !== undefined ? await readOrNull(spec.policy) : f.policyJson);
    nodeFiles.set(NODE_PATHS.searchRegistries, f.searchRegistries);
    return { config: setup.config, policy: setup.policy, nodeFiles };
  }
  const root = spec.kind === 'root' ? spec.paths[0]! : null;
  values['registries-conf'] = root !== null ? join(root, REGISTRIES_CONF) : spec.paths[0]!;
  // Only this side's drop-ins (FILE.d, or its -dir flag): never the machine's own /etc/containers/registries.conf.d.
  values['registries-conf-dir'] = spec.registriesConfDir ?? (root !== null ? join(root, '/etc/containers/registries.conf.d') : `${spec.paths[0]!}.d`);
  if (root !== null && spec.policy === undefined) {
    const policyPath = join(root, POLICY_JSON);
    if ((await stat(policyPath).catch(() => null)) !== null) values.policy = policyPath;
  }
  const setup = await loadSetupFromFlags(values);
  if (root !== null) return { config: setup.config, policy: setup.policy, nodeFiles: await rootNodeFiles(root) };
  // A registries.conf side states the file and its drop-ins as the node would hold them.
  const [main, ...dropins] = setup.config.files;
  if (main !== undefined) nodeFiles.set(REGISTRIES_CONF, await readOrNull(main));
  for (const d of dropins) nodeFiles.set(`/etc/containers/registries.conf.d/${basename(d)}`, await readOrNull(d));
  if (spec.policy !== undefined) nodeFiles.set(POLICY_JSON, await readOrNull(spec.policy));
  // A lone file (no drop-ins read): its config is the node registries.conf as the MCO parses it.
  return { config: setup.config, policy: setup.policy, nodeFiles, configIsNodeRegistriesConf: dropins.length === 0 };
}

function isContainersImageCompat(value: string): boolean {
  try {
    parseCompat(value);
    return true;
  } catch {
    return false;
  }
}

/** Empty registries configuration for a containerd side (it resolves through `resolve`). */
const EMPTY_CONFIG = () => loadRegistriesConfFromTexts({ main: null, mainPath: '(none: hosts.toml side)', dropins: [] });

/** A hosts.toml side: containerd's resolution (--compat taken as a containerd version when it is one, else 1.6). */
async function loadHostsDirSide(spec: SideSpec, shared: SharedFlags): Promise<DiffSide> {
  const { loadContainerdSetupFromFlags } = await import('../containerd-load.ts');
  // --compat is shared by both sides: a containers/image version (5.23, 5.40) is for the other side and leaves
  // this one at containerd 1.6; anything else must be a containerd version, refused as `resolve --hosts-dir`
  // refuses it (exit 2, same words) rather than silently compared under 1.6.
  let compat: string | undefined;
  if (shared.compat !== undefined && !isContainersImageCompat(shared.compat)) compat = parseContainerdCompat(shared.compat);
  const setup = await loadContainerdSetupFromFlags({ 'hosts-dir': spec.paths, ...(compat !== undefined ? { compat } : {}) });
  const synthetic: string[] = [];
  for (const root of setup.dirs) {
    for (const name of root.keys()) {
      if (name === '_default') continue;
      const m = /^(.*)_(\d+)_$/.exec(name);
      const host = m ? `${m[1]}:${m[2]}` : name;
      synthetic.push(`${host}/pullpath/synthetic:latest`, `${host}/pullpath/synthetic@sha256:${'0'.repeat(64)}`);
    }
  }
  return {
    config: EMPTY_CONFIG(),
    policy: spec.policy !== undefined ? await loadPolicyFile(spec.policy) : null,
    nodeFiles: new Map(),
    resolve: (image) => resolveContainerd(setup, image),
    syntheticImages: synthetic,
  };
}
