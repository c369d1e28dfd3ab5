/**
 * `pullpath resolve --output json`: one JSON object per argument (JSON Lines, in argument order), with the
 * field names and order of the CLI contract (schemas/resolve.schema.json):
 * `type, image, normalized, registry, sources, skipped, candidates, error, [policy], whatToDo`.
 * `image` is the argument as given (the name every command uses for it); `whatToDo` the fixes that
 * verify and pull also print (what-to-do.ts). Explanations (`why`, origins of sources) stay in the text
 * report; blocked sources carry the runtime's text.
 */
import { resolutionFixes, type Fix } from './what-to-do.ts';
import type { SourceProxy } from '../proxy/source-proxy.ts';
import type { ContainerdEndpoint } from '../containerd/endpoint.ts';
import type { MatchedRegistry, PolicyDecision, PullSource, Resolution, ShortNameCandidate, SkippedMirror } from '../resolve/resolution.ts';

export interface ResolutionJson {
  type: 'resolve';
  /** The argument as given (`docker://REF` or a bare REF). */
  image: string;
  normalized: string | null;
  registry: MatchedRegistry | null;
  sources: { location: string; insecure: boolean; reference: string; blocked: boolean; mirror: boolean; proxy?: SourceProxy; containerd?: ContainerdEndpointJson }[];
  skipped: { location: string; reason: string; kind: 'digest-only' | 'tag-only' | 'capability' | null }[];
  /** Short names only (a bare REF without a registry); [] otherwise. */
  candidates: {
    reference: string;
    registry: MatchedRegistry | null;
    sources: ResolutionJson['sources'];
    skipped: ResolutionJson['skipped'];
    error: string | null;
    policy?: PolicyDecision;
  }[];
  error: string | null;
  /** Only with a policy (`--policy` or `--openshift`). */
  policy?: PolicyDecision;
  whatToDo: Fix[];
  /** --runtime containerd only. */
  runtime?: 'containerd';
  notes?: string[];
}

/** A containerd endpoint in JSON: header values left out (they may carry credentials), names kept. */
export type ContainerdEndpointJson = Omit<ContainerdEndpoint, 'headers' | 'httpFallback'> & { headerNames: string[]; httpFallback: boolean };

function containerdJson(e: ContainerdEndpoint): ContainerdEndpointJson {
  return {
    scheme: e.scheme,
    host: e.host,
    path: e.path,
    capabilities: e.capabilities,
    skipVerify: e.skipVerify,
    caFiles: e.caFiles,
    clientCerts: e.clientCerts,
    headerNames: Object.keys(e.headers),
    ns: e.ns,
    dialTimeoutMs: e.dialTimeoutMs,
    isServer: e.isServer,
    httpFallback: e.httpFallback === true,
  };
}

function registryJson(r: MatchedRegistry | null): MatchedRegistry | null {
  if (r === null) return null;
  return {
    prefix: r.prefix,
    location: r.location,
    insecure: r.insecure,
    blocked: r.blocked,
    mirrorByDigestOnly: r.mirrorByDigestOnly,
    origin: r.origin,
  };
}

function sourcesJson(sources: PullSource[]): ResolutionJson['sources'] {
  return sources.map((s) => ({
    location: s.location,
    insecure: s.insecure,
    reference: s.reference,
    blocked: s.blocked,
    mirror: s.mirror,
    ...(s.proxy !== undefined ? { proxy: s.proxy } : {}),
    ...(s.containerd !== undefined ? { containerd: containerdJson(s.containerd) } : {}),
  }));
}

function skippedJson(skipped: SkippedMirror[]): ResolutionJson['skipped'] {
  return skipped.map((s) => ({ location: s.location, reason: s.reason, kind: s.kind ?? null }));
}

function candidateJson(c: ShortNameCandidate): ResolutionJson['candidates'][number] {
  return {
    reference: c.reference,
    registry: registryJson(c.registry),
    sources: sourcesJson(c.sources),
    skipped: skippedJson(c.skipped),
    error: c.error,
    ...(c.policy !== undefined ? { policy: c.policy } : {}),
  };
}

export function resolutionToJson(r: Resolution): ResolutionJson {
  return {
    type: 'resolve',
    image: r.ref,
    normalized: r.normalized,
    registry: registryJson(r.registry),
    sources: sourcesJson(r.sources),
    skipped: skippedJson(r.skipped),
    candidates: (r.candidates ?? []).map(candidateJson),
    error: r.error,
    ...(r.policy !== undefined ? { policy: r.policy } : {}),
    whatToDo: resolutionFixes(r),
    ...(r.runtime === 'containerd' ? { runtime: 'containerd' as const, ...(r.notes !== undefined ? { notes: r.notes } : {}) } : {}),
  };
}

/** One line of JSON Lines (no trailing newline). */
export function formatResolutionJsonLine(r: Resolution): string {
  return JSON.stringify(resolutionToJson(r));
}
