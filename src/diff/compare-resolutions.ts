/**
 * Two Resolutions of one image (BEFORE and AFTER) → what changed, or null when the pull behaves the same.
 * Only behaviour counts: where an entry is written (its origin) is shown but never makes a change by itself,
 * so a config diffed against itself with lines moved is still empty. Pure.
 */
import type { MatchedRegistry, PolicyDecision, PullSource, Resolution, SkippedMirror } from '../resolve/resolution.ts';
import type { ChangeKind, DiffOutcome, DiffSource, ImageChange } from './types.ts';
import { CHANGE_KINDS } from './types.ts';
import { byContact, contactKey, containerdEntrySignature, involvesContainerd } from './contact-view.ts';

export function outcomeOf(r: Resolution): DiffOutcome {
  const out: DiffOutcome = {
    registry: r.registry === null ? null : {
      prefix: r.registry.prefix,
      location: r.registry.location,
      blocked: r.registry.blocked,
      insecure: r.registry.insecure,
      mirrorByDigestOnly: r.registry.mirrorByDigestOnly,
      origin: r.registry.origin,
    },
    sources: r.sources.map((s) => s.reference),
    skipped: r.skipped,
    error: r.error,
  };
  if (r.candidates !== undefined) out.candidates = r.candidates.map((c) => c.reference);
  if (r.policy !== undefined) out.policy = r.policy;
  return out;
}

/** Everything that decides the pull, origins left out; compared field by field (this runs per image, twice). */
function sameSources(a: readonly PullSource[], b: readonly PullSource[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (contactKey(x.reference) !== contactKey(y.reference) || x.insecure !== y.insecure || x.blocked !== y.blocked || x.mirror !== y.mirror) return false;
  }
  return true;
}

/**
 * Why a mirror is skipped, as compared. Across runtimes, a containers/image digest-only mirror skipped for a tag
 * and a containerd host skipped for lack of a capability mean the same for that tag: not asked.
 */
function skipKind(k: SkippedMirror, crossRuntime: boolean): string | undefined {
  return crossRuntime && (k.kind === 'digest-only' || k.kind === 'capability') ? 'not-for-this-reference' : k.kind;
}

function crossRuntime(a: Resolution, b: Resolution): boolean {
  return (a.runtime === 'containerd') !== (b.runtime === 'containerd');
}

function sameSkipped(a: readonly SkippedMirror[], b: readonly SkippedMirror[], cross = false): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.location !== b[i]!.location || skipKind(a[i]!, cross) !== skipKind(b[i]!, cross)) return false;
  return true;
}

function sameRegistry(a: MatchedRegistry | null, b: MatchedRegistry | null): boolean {
  if (a === null || b === null) return a === b;
  return a.prefix === b.prefix && a.location === b.location && a.blocked === b.blocked && a.insecure === b.insecure && a.mirrorByDigestOnly === b.mirrorByDigestOnly;
}

/**
 * The entry that applied, by what it means. containers/image: the [[registry]] fields. containerd: the directory
 * name (the registry, or _default) and the settings of the hosts it yields — not the directory's path, so the
 * same tree in two places is the same entry (the hosts' URLs are compared as sources).
 */
function sameEntry(a: Resolution, b: Resolution): boolean {
  if (!involvesContainerd(a, b)) return sameRegistry(a.registry, b.registry);
  if ((a.registry?.prefix ?? null) !== (b.registry?.prefix ?? null)) return false;
  // Across runtimes, the primary location, blocked, insecure and digest-only show as sources and skipped mirrors.
  if (a.runtime !== b.runtime) return true;
  return containerdEntrySignature(a) === containerdEntrySignature(b);
}

function samePolicy(a: PolicyDecision | undefined, b: PolicyDecision | undefined): boolean {
  return a?.allowed === b?.allowed && a?.scope === b?.scope;
}

export function sameBehaviour(a: Resolution, b: Resolution): boolean {
  if (a.error !== b.error || !sameEntry(a, b) || !sameSources(a.sources, b.sources) || !sameSkipped(a.skipped, b.skipped, crossRuntime(a, b)) || !samePolicy(a.policy, b.policy)) return false;
  const ca = a.candidates;
  const cb = b.candidates;
  if (ca === undefined || cb === undefined) return ca === cb;
  if (ca.length !== cb.length) return false;
  for (let i = 0; i < ca.length; i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x.reference !== y.reference || x.error !== y.error || !sameSources(x.sources, y.sources) || !sameSkipped(x.skipped, y.skipped) || !samePolicy(x.policy, y.policy)) return false;
  }
  return true;
}

/** The sources of a Resolution, or of its first candidate for a short name (what is tried first). */
function effectiveSources(r: Resolution): PullSource[] {
  if (r.sources.length > 0 || r.candidates === undefined) return r.sources;
  return r.candidates.flatMap((c) => c.sources);
}

/** AFTER's sources in order with marks, then the sources only BEFORE had (marked removed). */
export function mergeSources(before: PullSource[], after: PullSource[]): DiffSource[] {
  const key = (s: PullSource) => `${s.mirror ? 'm' : 'p'} ${contactKey(s.reference)}`;
  const bIndex = new Map(before.map((s, i) => [key(s), i]));
  const aIndex = new Map(after.map((s, i) => [key(s), i]));
  // A common source is "reordered" when its rank among the common sources differs between the sides.
  const commonB = before.filter((s) => aIndex.has(key(s))).map(key);
  const commonA = after.filter((s) => bIndex.has(key(s))).map(key);
  const rankB = new Map(commonB.map((k, i) => [k, i]));
  const rankA = new Map(commonA.map((k, i) => [k, i]));
  const out: DiffSource[] = [];
  for (const [i, s] of after.entries()) {
    const bi = bIndex.get(key(s));
    const b = bi === undefined ? undefined : before[bi];
    out.push({
      reference: s.reference,
      location: s.location,
      mirror: s.mirror,
      mark: b === undefined ? 'added' : rankA.get(key(s)) !== rankB.get(key(s)) ? 'reordered' : 'same',
      before: bi === undefined ? null : bi + 1,
      after: i + 1,
      blockedBefore: b?.blocked ?? null,
      blockedAfter: s.blocked,
      insecureBefore: b?.insecure ?? null,
      insecureAfter: s.insecure,
      ...(s.origin !== undefined ? { origin: s.origin } : {}),
    });
  }
  for (const [i, s] of before.entries()) {
    if (aIndex.has(key(s))) continue;
    out.push({
      reference: s.reference,
      location: s.location,
      mirror: s.mirror,
      mark: 'removed',
      before: i + 1,
      after: null,
      blockedBefore: s.blocked,
      blockedAfter: null,
      insecureBefore: s.insecure,
      insecureAfter: null,
      ...(s.origin !== undefined ? { origin: s.origin } : {}),
    });
  }
  return out;
}

/** Whether every source of the pull is blocked (the pull fails without contacting a registry). */
function allBlocked(sources: PullSource[]): boolean {
  return sources.length > 0 && sources.every((s) => s.blocked);
}

export function compareResolutions(image: string, before: Resolution, after: Resolution): ImageChange | null {
  // A containerd side: both sides' sources compared and shown by the URL contacted (contact-view.ts).
  if (involvesContainerd(before, after)) {
    before = byContact(before);
    after = byContact(after);
  }
  if (sameBehaviour(before, after)) return null;
  const bs = effectiveSources(before);
  const as = effectiveSources(after);
  const sources = mergeSources(bs, as);
  const kinds = new Set<ChangeKind>();
  const bp = before.registry?.prefix ?? null;
  const ap = after.registry?.prefix ?? null;
  if (bp !== ap) kinds.add('entry');
  for (const s of sources) {
    if (s.mark === 'added') kinds.add('source-added');
    if (s.mark === 'removed') kinds.add('source-removed');
    if (s.mark === 'reordered') kinds.add('source-reordered');
    if (s.blockedBefore === false && s.blockedAfter === true) kinds.add('blocked');
    if (s.blockedBefore === true && s.blockedAfter === false) kinds.add('unblocked');
    if (s.insecureBefore === false && s.insecureAfter === true) kinds.add('insecure');
    if (s.insecureBefore === true && s.insecureAfter === false) kinds.add('secure');
  }
  // An added source that is blocked, or a pull that becomes blocked everywhere, is a block too.
  if (!allBlocked(bs) && allBlocked(as)) kinds.add('blocked');
  if (allBlocked(bs) && !allBlocked(as)) kinds.add('unblocked');
  const cross = crossRuntime(before, after);
  const skipKey = (r: Resolution) => JSON.stringify(r.skipped.map((k) => [k.location, skipKind(k, cross)]));
  if (skipKey(before) !== skipKey(after)) kinds.add('skipped');
  const candKey = (r: Resolution) => JSON.stringify((r.candidates ?? []).map((c) => c.reference));
  if (candKey(before) !== candKey(after)) kinds.add('short-name');
  const bv = verdict(before);
  const av = verdict(after);
  if (bv.allowed !== false && av.allowed === false) kinds.add('policy-rejected');
  if (bv.allowed === false && av.allowed !== false) kinds.add('policy-allowed');
  if (bv.allowed !== av.allowed || bv.scope !== av.scope) {
    if (!kinds.has('policy-rejected') && !kinds.has('policy-allowed')) kinds.add('policy-scope');
  }
  if (before.error === null && after.error !== null) kinds.add('error');
  if (before.error !== null && after.error === null) kinds.add('fixed');
  if (before.error !== null && after.error !== null && before.error !== after.error) {
    kinds.add('error');
    kinds.add('fixed');
  }
  // A behaviour change the rules above do not name (e.g. a candidate's own sources) still shows.
  if (kinds.size === 0) kinds.add(before.candidates !== undefined || after.candidates !== undefined ? 'short-name' : 'entry');
  return {
    image,
    normalized: after.normalized ?? before.normalized,
    changes: CHANGE_KINDS.filter((k) => kinds.has(k)),
    sources,
    before: outcomeOf(before),
    after: outcomeOf(after),
  };
}

/** The verdict of a pull: the image's own, or for a short name the first candidate's. */
function verdict(r: Resolution): { allowed: boolean | null | undefined; scope: string | undefined } {
  const p = r.policy ?? r.candidates?.[0]?.policy;
  return { allowed: p?.allowed, scope: p?.scope };
}
