/**
 * `Registry.PullSourcesFromReference` plus what the transport decides per source before any network access:
 * which endpoints are tried and in what order (mirrors in file order, then the primary, always last and
 * always present), which mirrors are left out and why, each physical reference, and whether each source is
 * blocked (decided by the entry that matches that source's OWN repository name, as `newDockerClient` does).
 */
import type { RegistryEntry } from '../config/types.ts';
import type { Reference } from '../reference/reference.ts';
import { compileEntry, lookupEntry, type CompiledConfig, type CompiledEntry, type EndpointPlan } from './compile.ts';
import type { PullSource, SkippedMirror } from './resolution.ts';
import { rewriteReference } from './rewrite.ts';

export type PullSourcesResult =
  | { ok: true; sources: PullSource[]; skipped: SkippedMirror[] }
  /** One rewrite failed: the runtime aborts the whole pull before contacting anything. */
  | { ok: false; error: string; sources: []; skipped: SkippedMirror[] };

/** The runtime's text for a blocked source, per library version. */
export function blockedMessage(compiled: CompiledConfig, prefix: string): string {
  const { conf } = compiled;
  if (conf.compat === '5.40') {
    // v5.40 lists its configuration sources Go-quoted: `["f1" "f2"]`.
    const list = [conf.configPath, conf.configDirPath].filter((p) => p !== '').map((p) => JSON.stringify(p));
    return `registry ${prefix} is blocked in one of [${list.join(' ')}]`;
  }
  return `registry ${prefix} is blocked in ${conf.configPath} or ${conf.configDirPath}`;
}

/** Why a mirror is left out for this reference, or null when it is used. */
function skipReason(entry: CompiledEntry, mirror: EndpointPlan, digested: boolean): string | null {
  if (entry.mirrorByDigestOnly) {
    return digested ? null : 'digest-only mirror skipped for a tag reference (mirror-by-digest-only = true)';
  }
  if (mirror.pullFromMirror === 'digest-only' && !digested) {
    return 'digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only")';
  }
  if (mirror.pullFromMirror === 'tag-only' && digested) {
    return 'tag-only mirror skipped for a digest reference (pull-from-mirror = "tag-only")';
  }
  return null;
}

/** Marks a source blocked when the entry matching its own repository name is blocked. */
function withBlocked(compiled: CompiledConfig, source: PullSource, physical: Reference): PullSource {
  if (!compiled.anyBlocked) return source;
  const own = lookupEntry(compiled, physical.name());
  if (own !== null && own.blocked) {
    source.blocked = true;
    source.blockedError = blockedMessage(compiled, own.prefix);
    source.blockedBy = { prefix: own.prefix, origin: own.origin };
  }
  return source;
}

/** With no entry the runtime uses the reference itself as the only source; no entry can block it either. */
function referenceItself(ref: Reference): PullSourcesResult {
  const reference = ref.string();
  const source: PullSource = {
    location: reference,
    insecure: false,
    reference,
    blocked: false,
    mirror: false,
    why: 'no [[registry]] entry matches: the reference itself',
  };
  return { ok: true, sources: [source], skipped: [] };
}

/**
 * The sources for `ref` under `entry` (the entry `findRegistry(ref.name())` returned, or null for none).
 */
export function pullSources(compiled: CompiledConfig, entry: RegistryEntry | null, ref: Reference): PullSourcesResult {
  if (entry === null) return referenceItself(ref);
  return pullSourcesFor(compiled, compiled.byEntry.get(entry) ?? compileEntry(entry), ref);
}

/** Looks up the entry for `ref.name()` and returns it with the sources: the whole per-reference decision. */
export function sourcesForReference(
  compiled: CompiledConfig,
  ref: Reference,
): { entry: CompiledEntry | null; result: PullSourcesResult } {
  const entry = lookupEntry(compiled, ref.name());
  return { entry, result: entry === null ? referenceItself(ref) : pullSourcesFor(compiled, entry, ref) };
}

/** `pullSources` for a compiled entry. */
export function pullSourcesFor(compiled: CompiledConfig, entry: CompiledEntry, ref: Reference): PullSourcesResult {
  const digested = ref.digest !== null;
  const sources: PullSource[] = [];
  const skipped: SkippedMirror[] = [];
  const n = entry.mirrors.length;
  for (let i = 0; i < n; i++) {
    const m = entry.mirrors[i]!;
    const reason = skipReason(entry, m, digested);
    if (reason !== null) {
      skipped.push({ location: m.location, reason, kind: digested ? 'tag-only' : 'digest-only', origin: m.origin });
      continue;
    }
    const r = rewriteReference(ref, entry.prefix, m.location, m.join);
    if (!r.ok) return { ok: false, error: r.error, sources: [], skipped };
    const source: PullSource = {
      location: m.location,
      insecure: m.insecure,
      reference: r.ref.string(),
      blocked: false,
      mirror: true,
      why: `mirror ${i + 1} of ${n} of [[registry]] "${entry.prefix}" (${m.origin})`,
      pullFromMirror: m.pullFromMirror,
      origin: m.origin,
    };
    sources.push(withBlocked(compiled, source, r.ref));
  }
  const p = entry.primary;
  const r = rewriteReference(ref, entry.prefix, p.location, p.join);
  if (!r.ok) return { ok: false, error: r.error, sources: [], skipped };
  const primary: PullSource = {
    location: p.location,
    insecure: p.insecure,
    reference: r.ref.string(),
    blocked: false,
    mirror: false,
    why: `primary location of [[registry]] "${entry.prefix}" (${entry.origin}), always tried last`,
    pullFromMirror: '',
    origin: entry.origin,
  };
  sources.push(withBlocked(compiled, primary, r.ref));
  return { ok: true, sources, skipped };
}
