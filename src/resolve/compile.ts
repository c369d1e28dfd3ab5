/**
 * The registries configuration indexed for lookups, and `findRegistry` over that index.
 *
 * The runtime scans every `[[registry]]` per lookup (cost linear in the entries). A repository name can only
 * match a literal prefix that equals the name cut at one of its boundaries (`/`, `:`, `@`, or the end), and a
 * `*.suffix` wildcard whose `.suffix` ends the name's host. So we hash the prefixes once and probe those few
 * candidate strings: the cost depends on the name, not on the number of entries.
 */
import type { PullFromMirror, RegistriesConfig, RegistryEntry } from '../config/types.ts';
import { joinableLocation, type JoinableLocation } from './location-join.ts';
import { formatOrigin } from './origin.ts';
import { isWildcardPrefix, matchPrefix } from './prefix-match.ts';

/** One endpoint (mirror or primary location) with what the rewrite and the explanations need, computed once. */
export interface EndpointPlan {
  location: string;
  insecure: boolean;
  pullFromMirror: PullFromMirror;
  /** "file:line" of the mirror table (of the entry, for the primary). */
  origin: string;
  /** The location split for the rewrite shortcut (null: the full canonical parse decides). */
  join: JoinableLocation | null;
}

/** A `[[registry]]` entry prepared for resolution: everything pullSources reads, in one place. */
export interface CompiledEntry {
  entry: RegistryEntry;
  prefix: string;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  origin: string;
  primary: EndpointPlan;
  mirrors: EndpointPlan[];
}

export interface CompiledConfig {
  readonly conf: RegistriesConfig;
  /** Wildcard `*.suffix` → entry, keyed by `.suffix` (the prefix without its `*`). */
  readonly wildcard: ReadonlyMap<string, CompiledEntry>;
  /** Wildcards the loader should have refused (`/`, `:` or `@` in them); matched by scanning, as the runtime would. */
  readonly oddWildcards: readonly CompiledEntry[];
  /**
   * Literal prefixes grouped by their host part (up to the first `/`, `:` or `@`). A literal prefix can only
   * match a name with the same host part, so a lookup hashes the name's host once, then probes a small map.
   */
  readonly literalByHost: ReadonlyMap<string, Map<string, CompiledEntry>>;
  /** The longest literal prefix: longer cuts of a name cannot match. */
  readonly maxLiteralLength: number;
  /** False when no entry is blocked: then no source can be, and the per-source lookup is skipped. */
  readonly anyBlocked: boolean;
  /**
   * `.suffix` keys of the wildcard map and every dot-tail of them (`.zone1.example.net` → also `.example.net`,
   * `.net`): probing a host's dot-suffixes from the right stops at the first tail no wildcard ends with.
   */
  readonly wildcardTails: ReadonlySet<string>;
  /** The compiled form of every entry of `conf.registries`. */
  readonly byEntry: ReadonlyMap<RegistryEntry, CompiledEntry>;
}

/** Prepares one entry (compileConfig does it once per entry). */
export function compileEntry(entry: RegistryEntry): CompiledEntry {
  const origin = formatOrigin(entry.origin);
  return {
    entry,
    prefix: entry.prefix,
    blocked: entry.blocked,
    mirrorByDigestOnly: entry.mirrorByDigestOnly,
    origin,
    primary: { location: entry.location, insecure: entry.insecure, pullFromMirror: '', origin, join: joinableLocation(entry.location) },
    mirrors: entry.mirrors.map((m) => ({
      location: m.location,
      insecure: m.insecure,
      pullFromMirror: m.pullFromMirror,
      origin: formatOrigin(m.origin),
      join: joinableLocation(m.location),
    })),
  };
}

/** The part of `s` before its first `/`, `:` or `@`. */
export function hostPart(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2f || c === 0x3a || c === 0x40) return s.slice(0, i);
  }
  return s;
}

/** Which entry wins between two matches: the longer prefix string; on a tie the byte-wise smaller (a wildcard). */
function better(a: CompiledEntry, b: CompiledEntry | null): boolean {
  if (b === null) return true;
  if (a.prefix.length !== b.prefix.length) return a.prefix.length > b.prefix.length;
  return a.prefix < b.prefix;
}

/** Builds the lookup index once per configuration. Pure; keeps no state outside the returned value. */
export function compileConfig(conf: RegistriesConfig): CompiledConfig {
  const wildcard = new Map<string, CompiledEntry>();
  const oddWildcards: CompiledEntry[] = [];
  const literalByHost = new Map<string, Map<string, CompiledEntry>>();
  const byEntry = new Map<RegistryEntry, CompiledEntry>();
  const wildcardTails = new Set<string>();
  let maxLiteralLength = 0;
  let anyBlocked = false;
  for (const entry of conf.registries) {
    const ce = compileEntry(entry);
    byEntry.set(entry, ce);
    const p = entry.prefix;
    if (entry.blocked) anyBlocked = true;
    if (isWildcardPrefix(p)) {
      const suffix = p.slice(1);
      if (/[/:@]/.test(suffix)) oddWildcards.push(ce);
      else if (!wildcard.has(suffix)) {
        wildcard.set(suffix, ce);
        for (let i = suffix.length - 1; i >= 0; i--) if (suffix[i] === '.') wildcardTails.add(suffix.slice(i));
      }
      continue;
    }
    const host = hostPart(p);
    let group = literalByHost.get(host);
    if (group === undefined) literalByHost.set(host, (group = new Map()));
    // The runtime keeps the first of equal prefixes (the loader has already deduplicated them).
    if (group.has(p)) continue;
    group.set(p, ce);
    if (p.length > maxLiteralLength) maxLiteralLength = p.length;
  }
  return { conf, wildcard, oddWildcards, literalByHost, maxLiteralLength, anyBlocked, wildcardTails, byEntry };
}

/**
 * `FindRegistry` for a repository name (`ref.name()`: no tag or digest, as the pull path passes it).
 * Returns the entry with the longest matching prefix, or null.
 */
export function findRegistry(compiled: CompiledConfig, name: string): RegistryEntry | null {
  return lookupEntry(compiled, name)?.entry ?? null;
}

/** `findRegistry`, returning the compiled entry. */
export function lookupEntry(compiled: CompiledConfig, name: string): CompiledEntry | null {
  let best: CompiledEntry | null = null;

  // Literal prefixes with the name's host, from the whole name down to its shortest boundary: the first hit
  // is the longest literal.
  const group = compiled.literalByHost.get(hostPart(name));
  if (group !== undefined) {
    const max = compiled.maxLiteralLength;
    const whole = name.length <= max ? group.get(name) : undefined;
    if (whole !== undefined) best = whole;
    else {
      for (let i = Math.min(name.length - 1, max); i > 0; i--) {
        const c = name.charCodeAt(i);
        if (c === 0x2f /* / */ || c === 0x3a /* : */ || c === 0x40 /* @ */) {
          const e = group.get(name.slice(0, i));
          if (e !== undefined) {
            best = e;
            break;
          }
        }
      }
    }
  }

  // Wildcards: `.suffix` must end the host name (before any port) and be its first occurrence in the name.
  // Probe the host's dot-suffixes from the shortest; stop when no wildcard ends with that tail. The longest
  // valid one is the only wildcard that can win (longer prefix string).
  if (compiled.wildcard.size > 0) {
    let hostEnd = name.indexOf('/');
    if (hostEnd === -1) hostEnd = name.length;
    const colon = name.indexOf(':');
    if (colon !== -1 && colon < hostEnd) hostEnd = colon;
    const at = name.indexOf('@');
    if (at !== -1 && at < hostEnd) hostEnd = at;
    let found: CompiledEntry | null = null;
    for (let i = name.lastIndexOf('.', hostEnd - 1); i !== -1; i = i === 0 ? -1 : name.lastIndexOf('.', i - 1)) {
      const suffix = name.slice(i, hostEnd);
      if (!compiled.wildcardTails.has(suffix)) break;
      const e = compiled.wildcard.get(suffix);
      if (e !== undefined && name.indexOf(suffix) === i) found = e;
    }
    if (found !== null && better(found, best)) best = found;
  }

  for (const e of compiled.oddWildcards) {
    if (matchPrefix(name, e.prefix) !== -1 && better(e, best)) best = e;
  }
  return best;
}

/** The runtime's algorithm, a scan over every entry: kept as the oracle for tests and the benchmark baseline. */
export function findRegistryByScan(conf: RegistriesConfig, name: string): RegistryEntry | null {
  let best: RegistryEntry | null = null;
  let bestLength = -1;
  for (const e of conf.registries) {
    if (matchPrefix(name, e.prefix) !== -1 && e.prefix.length > bestLength) {
      best = e;
      bestLength = e.prefix.length;
    }
  }
  return best;
}
