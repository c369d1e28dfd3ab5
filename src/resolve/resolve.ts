/**
 * One argument → one Resolution, with the semantics of the tool that would pull it:
 *  - `docker://REF`: the docker transport as skopeo uses it (no short-name search, `:latest` added to a bare
 *    name, tag+digest refused);
 *  - a bare `REF`: podman / CRI-O (short names aliased or searched; a fully qualified name as above).
 * Pure: the compiled configuration and the argument in, data out.
 */
import type { RegistryEntry } from '../config/types.ts';
import { dockerTransportReference, isShortName, tryParseNormalizedNamed, type Reference } from '../reference/index.ts';
import { findRegistry, type CompiledConfig } from './compile.ts';
import { formatOrigin } from './origin.ts';
import { isWildcardPrefix, matchPrefix } from './prefix-match.ts';
import { sourcesForReference } from './pull-sources.ts';
import type { MatchedRegistry, Resolution, ShortNameCandidate } from './resolution.ts';
import { resolveShortName } from './short-names.ts';

const DOCKER_TRANSPORT = 'docker://';

export function matchedRegistry(entry: RegistryEntry, origin: string = formatOrigin(entry.origin)): MatchedRegistry {
  return {
    prefix: entry.prefix,
    location: entry.location,
    insecure: entry.insecure,
    blocked: entry.blocked,
    mirrorByDigestOnly: entry.mirrorByDigestOnly,
    origin,
  };
}

/**
 * Resolves an already parsed reference exactly as given (no `:latest` added, no transport checks): the
 * matched entry and the sources `PullSourcesFromReference` gives, each with its blocked verdict.
 */
export function resolveReference(compiled: CompiledConfig, ref: Reference, arg: string = ref.string()): Resolution {
  const { entry: ce, result: ps } = sourcesForReference(compiled, ref);
  const entry = ce === null ? null : ce.entry;
  const notes: string[] = [];
  if (entry === null) notes.push(`no [[registry]] prefix matches "${ref.name()}": the reference is pulled as is`);
  else notes.push(...matchNotes(entry.prefix, ref.name()));
  if (ps.ok) {
    const usable = ps.sources.filter((s) => !s.blocked).length;
    if (usable === 0) notes.push('every source is blocked: the pull fails without contacting any registry');
  }
  return {
    ref: arg,
    normalized: ref.string(),
    registry: ce === null ? null : matchedRegistry(ce.entry, ce.origin),
    sources: ps.sources,
    skipped: ps.skipped,
    error: ps.ok ? null : ps.error,
    errorKind: ps.ok ? null : 'rewrite',
    notes,
  };
}

/** Explains matches that surprise users: a host prefix matching across a port, a wildcard carrying the port. */
function matchNotes(prefix: string, name: string): string[] {
  if (isWildcardPrefix(prefix)) {
    const end = matchPrefix(name, prefix);
    if (end !== -1 && name[end] === ':') {
      const port = name.slice(end, name.indexOf('/', end) === -1 ? name.length : name.indexOf('/', end));
      return [`wildcard "${prefix}" matches the host without its port: "${port}" is carried over after each location`];
    }
    return [];
  }
  if (name.length > prefix.length && name[prefix.length] === ':') {
    return [`prefix "${prefix}" matches "${name}" across its port (an upstream quirk: "DON'T RELY ON THE CURRENT BEHAVIOR")`];
  }
  return [];
}

function failure(arg: string, kind: 'parse' | 'transport' | 'shortname', error: string): Resolution {
  return { ref: arg, normalized: null, registry: null, sources: [], skipped: [], error, errorKind: kind, notes: [] };
}

/** The docker transport on a normalized reference: `:latest` added, tag+digest refused, then resolved. */
function resolveForTransport(compiled: CompiledConfig, ref: Reference, arg: string): Resolution {
  const t = dockerTransportReference(ref);
  if (!t.ok) {
    const r = failure(arg, 'transport', t.error);
    const entry = findRegistry(compiled, ref.name());
    r.normalized = ref.string();
    r.registry = entry === null ? null : matchedRegistry(entry);
    return r;
  }
  return resolveReference(compiled, t.ref, arg);
}

/** `docker://REF` (REF is what follows `docker://`). */
export function resolveDockerReference(compiled: CompiledConfig, rest: string, arg: string): Resolution {
  const p = tryParseNormalizedNamed(rest);
  if (!p.ok) return failure(arg, 'parse', p.error);
  const r = resolveForTransport(compiled, p.ref, arg);
  if (isShortName(rest)) {
    (r.notes ??= []).unshift(`docker:// never searches short names: "${rest}" is ${p.ref.string()} (podman and CRI-O would search; drop "docker://" to see that)`);
  }
  return r;
}

/** The runtime's summary when every short-name candidate fails (libimage `FormatPullErrors`). */
function aggregate(errors: string[]): string {
  if (errors.length === 1) return errors[0]!;
  return `${errors.length} errors occurred while pulling:\n` + errors.map((e) => ` * ${e}`).join('\n');
}

/** A bare REF as podman and CRI-O pull it. */
export function resolveBareReference(compiled: CompiledConfig, arg: string): Resolution {
  const sn = resolveShortName(compiled.conf, arg);
  if (!sn.isShort) {
    if (sn.error !== null) return failure(arg, 'parse', sn.error);
    return resolveForTransport(compiled, sn.candidates[0]!.ref, arg);
  }
  if (sn.error !== null) {
    const r = failure(arg, sn.error.startsWith('cannot parse input') ? 'parse' : 'shortname', sn.error);
    r.candidates = [];
    return r;
  }
  const candidates: ShortNameCandidate[] = sn.candidates.map((c) => {
    const r = resolveForTransport(compiled, c.ref, c.ref.string());
    return {
      reference: c.ref.string(),
      why: c.why,
      registry: r.registry,
      sources: r.sources,
      skipped: r.skipped,
      error: r.error,
    };
  });
  const errors = candidates.map((c) => c.error).filter((e): e is string => e !== null);
  const allFailed = errors.length === candidates.length;
  return {
    ref: arg,
    normalized: candidates.length === 1 ? candidates[0]!.reference : null,
    registry: null,
    sources: [],
    skipped: [],
    candidates,
    error: allFailed ? aggregate(errors) : null,
    errorKind: allFailed ? 'shortname' : null,
    notes: [...(sn.description === '' ? [] : [sn.description]), ...sn.notes],
  };
}

/** One CLI argument: `docker://REF` or a bare REF. */
export function resolveArg(compiled: CompiledConfig, arg: string): Resolution {
  if (arg.startsWith(DOCKER_TRANSPORT)) return resolveDockerReference(compiled, arg.slice(DOCKER_TRANSPORT.length), arg);
  return resolveBareReference(compiled, arg);
}
