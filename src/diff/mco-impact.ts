/**
 * What the Machine Config Operator does on a node to apply changed node files, by release line: reboot
 * (after a drain), a CRI-O reload with or without a drain, a restart, or nothing. Rules from
 * openshift/machine-config-operator (MCD), by the commit that introduced each; release boundaries follow
 * the commit dates (the release branched after it) and may be off by one release:
 *  - ≤ 4.6: every file change drains and reboots (no post-config actions yet).
 *  - 4.7 (81476d409, 2020-11-25, "daemon: calculate config change action based on MC diffs",
 *    pkg/daemon/update.go calculatePostConfigChangeActionFromMCDiffs): /etc/containers/registries.conf →
 *    "reload crio"; the node is still drained.
 *  - 4.8 (9d5599d00, 2021-06-01, "daemon: make node drain logic smarter for ICSP changes",
 *    pkg/daemon/drain.go isSafeContainerRegistryConfChanges, BZ 1943315): no drain when the registries.conf
 *    change is "safe": search registries only appended, no registry removed, no prefix/blocked/insecure or
 *    mirror-by-digest-only change, mirrors only added and only under mirror-by-digest-only = true; as written
 *    then, every registry of the new file must have mirror-by-digest-only = true for the change to be safe
 *    (the `else if` also covers unchanged registries).
 *  - 4.10 (665969f92, 2021-11-22, "Don't reboot for GPG key changes"): /etc/containers/policy.json →
 *    "reload crio", no drain.
 *  - 4.13 (9907dc561, 2023-01-19, "Add support for ImageDigestMirrorSet…"): the safe rule by pull-from-mirror:
 *    an added mirror must be `pull-from-mirror = "digest-only"` (or under mirror-by-digest-only), an existing
 *    mirror may only change to digest-only, a new registry needs all mirrors digest-only; a location
 *    change is unsafe; unchanged registries no longer matter.
 *  - 4.16 (cf48c6059, 2024-04-10, "Support Cluster ImagePolicy CRD"): /etc/containers/registries.d/* →
 *    "reload crio" (the MCO's default node disruption policies, pkg/apihelpers/apihelpers.go, say the same).
 *  - 4.18 (963c6f46d, 2024-10-23, "Implement ImagePolicy CRD"): /etc/crio/policies/* → reload crio
 *    (default node disruption policy).
 *  - Every release: /etc/containers/registries.conf.d/01-image-searchRegistries.conf (the search drop-in)
 *    is in no list, so it falls to the default: drain and reboot (update.go's `default:` case, and
 *    "If this file path has no policy defined, default to reboot" with node disruption policies).
 * Pure: texts in, data out.
 */
import { loadRegistriesConfFromTexts } from '../config/load-texts.ts';
import type { RegistriesConfig, RegistryEntry } from '../config/types.ts';
import type { NodeAction, NodeFileChange, NodeImpact } from './types.ts';

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const POLICY_JSON = '/etc/containers/policy.json';
export const REGISTRIES_D = '/etc/containers/registries.d';
export const CRIO_POLICIES = '/etc/crio/policies';

/** `current` → a minor above every boundary; `4.N` → N. */
export function ocpMinor(version: string): number {
  if (version === 'current' || version === 'latest') return 99;
  const m = /^4\.([0-9]+)(?:\.[0-9]+)?$/.exec(version);
  if (m === null) throw new Error(`expected "current" or a release line such as 4.12, got ${JSON.stringify(version)}`);
  return Number(m[1]);
}

const RANK: Record<NodeAction, number> = { none: 0, reload: 1, restart: 2, 'drain-reload': 3, 'drain-reboot': 4 };

function inDir(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/** The action for one changed file (registries.conf's drain decided separately). */
function fileRule(path: string, minor: number): { action: NodeAction; why: string } {
  if (minor <= 6) return { action: 'drain-reboot', why: 'OpenShift ≤ 4.6 reboots for every file change' };
  if (path === REGISTRIES_CONF) return { action: 'reload', why: 'registries.conf: CRI-O reload (MCO ≥ 4.7)' };
  if (path === POLICY_JSON) {
    return minor >= 10
      ? { action: 'reload', why: 'policy.json: CRI-O reload, no drain (MCO ≥ 4.10)' }
      : { action: 'drain-reboot', why: 'policy.json: drain and reboot before 4.10' };
  }
  if (inDir(path, REGISTRIES_D)) {
    return minor >= 16
      ? { action: 'reload', why: 'registries.d: CRI-O reload, no drain (MCO ≥ 4.16)' }
      : { action: 'drain-reboot', why: 'registries.d: drain and reboot before 4.16' };
  }
  if (inDir(path, CRIO_POLICIES)) {
    return minor >= 18
      ? { action: 'reload', why: '/etc/crio/policies: CRI-O reload, no drain (MCO ≥ 4.18)' }
      : { action: 'drain-reboot', why: '/etc/crio/policies: drain and reboot before 4.18' };
  }
  return { action: 'drain-reboot', why: 'no MCO rule names this file: drain and reboot (the default)' };
}

/** A registries.conf text as the MCO decodes it (one file, no drop-ins); null when it does not load. */
function parseConf(text: string | null): RegistriesConfig | null {
  if (text === null) return null;
  try {
    return loadRegistriesConfFromTexts({ main: { path: REGISTRIES_CONF, text }, mainPath: REGISTRIES_CONF, mainRequired: true, dropins: [], configDirPath: '/nonexistent' });
  } catch {
    return null;
  }
}

/**
 * Whether the MCD skips the drain for this registries.conf change (isSafeContainerRegistryConfChanges):
 * null when safe, else the reason it is not.
 */
export function unsafeRegistriesConfChange(
  beforeText: string | null,
  afterText: string | null,
  minor: number,
  parsed: ParsedNodeConfs = {},
): string | null {
  const a = parsed.before ?? parseConf(beforeText);
  const b = parsed.after ?? parseConf(afterText);
  if (a === null || b === null) return 'registries.conf does not decode on one side';
  const oldSearch = a.unqualifiedSearchRegistries ?? [];
  const newSearch = b.unqualifiedSearchRegistries ?? [];
  if (oldSearch.length > newSearch.length || oldSearch.some((r, i) => newSearch[i] !== r)) {
    return 'unqualified-search-registries lost or reordered an entry';
  }
  const byScope = (c: RegistriesConfig) => new Map(c.registries.map((e) => [e.prefix, e]));
  const oldRegs = byScope(a);
  const newRegs = byScope(b);
  for (const scope of oldRegs.keys()) if (!newRegs.has(scope)) return `registry ${scope} removed`;
  const legacy = minor <= 12;
  for (const [scope, n] of newRegs) {
    const o = oldRegs.get(scope);
    if (o === undefined) {
      if (legacy ? !n.mirrorByDigestOnly : !allDigestOnly(n)) return `registry ${scope} added with mirrors that are not digest-only`;
      continue;
    }
    if (sameEntry(o, n)) {
      // ≤ 4.12: the `else if` also rejected unchanged registries without mirror-by-digest-only.
      if (legacy && !n.mirrorByDigestOnly) return `registry ${scope} is not mirror-by-digest-only (MCO ≤ 4.12 checks every registry)`;
      continue;
    }
    if (o.blocked !== n.blocked) return `blocked changed for ${scope}`;
    if (o.insecure !== n.insecure) return `insecure changed for ${scope}`;
    if (!legacy && o.location !== n.location) return `location changed for ${scope}`;
    if (legacy && o.mirrorByDigestOnly !== n.mirrorByDigestOnly) return `mirror-by-digest-only changed for ${scope}`;
    for (const m of o.mirrors) if (!n.mirrors.some((x) => x.location === m.location)) return `mirror ${m.location} removed from ${scope}`;
    for (const m of n.mirrors) {
      const old = o.mirrors.find((x) => x.location === m.location);
      if (legacy) {
        if (old === undefined && !n.mirrorByDigestOnly) return `mirror ${m.location} added to ${scope}, which is not mirror-by-digest-only`;
        continue;
      }
      if (old !== undefined && old.pullFromMirror !== m.pullFromMirror && m.pullFromMirror !== 'digest-only') {
        return `pull-from-mirror of ${m.location} changed to "${m.pullFromMirror}"`;
      }
      if (old === undefined && m.pullFromMirror !== 'digest-only' && !n.mirrorByDigestOnly) {
        return `mirror ${m.location} added to ${scope} without pull-from-mirror = "digest-only"`;
      }
    }
  }
  return null;
}

function sameEntry(a: RegistryEntry, b: RegistryEntry): boolean {
  const strip = (e: RegistryEntry) => JSON.stringify([e.prefix, e.location, e.insecure, e.blocked, e.mirrorByDigestOnly, e.mirrors.map((m) => [m.location, m.insecure, m.pullFromMirror])]);
  return strip(a) === strip(b);
}

function allDigestOnly(e: RegistryEntry): boolean {
  if (e.mirrors.length === 0) return e.mirrorByDigestOnly;
  return e.mirrors.every((m) => m.pullFromMirror === 'digest-only');
}

/**
 * Each side's registries.conf already parsed on its own (no drop-ins), when the caller has it: parsing a
 * 10,000-entry file again costs as much as resolving thousands of images.
 */
export interface ParsedNodeConfs {
  before?: RegistriesConfig | undefined;
  after?: RegistriesConfig | undefined;
}

/** Node files (path → bytes, null = absent) on each side → the MCO's actions. null when nothing changes. */
export function nodeImpact(
  before: ReadonlyMap<string, string | null>,
  after: ReadonlyMap<string, string | null>,
  ocpVersion: string,
  parsed: ParsedNodeConfs = {},
): NodeImpact | null {
  const minor = ocpMinor(ocpVersion);
  const files: NodeFileChange[] = [];
  let drainWhy: string | undefined;
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const path of paths) {
    // A path only one side states is not compared: that side's source does not manage it.
    if (!before.has(path) || !after.has(path)) continue;
    const b = before.get(path) ?? null;
    const a = after.get(path) ?? null;
    if (b === a) continue;
    const change = b === null ? 'added' : a === null ? 'removed' : 'modified';
    let { action, why } = fileRule(path, minor);
    if (path === REGISTRIES_CONF && action === 'reload') {
      if (minor <= 7) {
        action = 'drain-reload';
        why = 'registries.conf: drain and CRI-O reload (4.7 drains for every registries.conf change)';
        drainWhy = why;
      } else {
        const unsafe = unsafeRegistriesConfChange(b, a, minor, parsed);
        if (unsafe !== null) {
          action = 'drain-reload';
          why = `registries.conf: drain and CRI-O reload: ${unsafe}`;
          drainWhy = unsafe;
        } else {
          why = 'registries.conf: CRI-O reload, no drain (a change the MCD counts as safe)';
          drainWhy = 'safe change: search registries only appended, mirrors only added as digest-only';
        }
      }
    }
    files.push({ path, change, action, why });
  }
  if (files.length === 0) return null;
  const action = files.reduce<NodeAction>((acc, f) => (RANK[f.action] > RANK[acc] ? f.action : acc), 'none');
  return {
    ocpVersion,
    files,
    action,
    drain: action === 'drain-reload' || action === 'drain-reboot',
    reboot: action === 'drain-reboot',
    ...(drainWhy !== undefined ? { drainWhy } : {}),
  };
}
