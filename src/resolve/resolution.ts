/**
 * The Resolution: what the runtime would try for one reference, and why.
 * Pure data, produced by `src/resolve/` and consumed by pull, verify, probe, load, reports and the TUI.
 * Field names are the JSON contract of `pullpath resolve --output json` (camelCase, stable).
 */

// Origin lives with the config layer that produces it; re-exported for readers of the Resolution.
export type { Origin } from '../config/types.ts';
import type { SourceProxy } from '../proxy/source-proxy.ts';
import type { ContainerdEndpoint } from '../containerd/endpoint.ts';

/** The `[[registry]]` entry that matched the reference's repository name. */
export interface MatchedRegistry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  /** "file:line" (or "file" when no line is known). */
  origin: string;
}

/** One physical source the runtime tries, in try order (mirrors in file order, the primary last). */
export interface PullSource {
  /** The endpoint's location as configured ("" for a wildcard entry without location: the ref unchanged). */
  location: string;
  /** TLS verification skipped and plain HTTP allowed after an HTTPS failure, for this endpoint only. */
  insecure: boolean;
  /** The rewritten (physical) reference, as contacted: `host[:port]/path:tag` or `…@digest`. */
  reference: string;
  /** Decided by the `[[registry]]` entry that matches this source's own repository name. */
  blocked: boolean;
  /** true for a mirror, false for the primary. */
  mirror: boolean;
  /** Why the source is here, in words: "mirror 1 of quay.io (file:line)", "primary location". */
  why?: string;
  /** When blocked: the runtime's error text (`registry X is blocked in FILE or DIR`). */
  blockedError?: string;
  /** When blocked: the entry that blocks it. */
  blockedBy?: { prefix: string; origin: string };
  /** The mirror's pull-from-mirror setting ("" for the primary or unset). */
  pullFromMirror?: string;
  /** Where the mirror (or the entry, for the primary) was configured. */
  origin?: string;
  /** Set by `--runtime containerd`: the host as containerd contacts it (URL path, headers, `?ns=`, TLS). */
  containerd?: ContainerdEndpoint;
  /** Set by `resolve`: whether the source's requests go through a proxy, which, and why (src/proxy/source-proxy.ts). */
  proxy?: SourceProxy;
}

/** A mirror that the runtime leaves out for this reference, with the reason. */
export interface SkippedMirror {
  location: string;
  reason: string;
  /** Which rule skipped it, for machines and for the suggested fix (the words are in `reason`). */
  kind?: 'digest-only' | 'tag-only' | 'capability';
  origin?: string;
}

/** A short-name candidate: one fully qualified reference, with its own sources. */
export interface ShortNameCandidate {
  reference: string;
  /** "alias from FILE" or "unqualified-search-registries entry N" */
  why?: string;
  registry: MatchedRegistry | null;
  sources: PullSource[];
  skipped: SkippedMirror[];
  error: string | null;
  /** With a policy: the verdict for this candidate. */
  policy?: PolicyDecision;
}

/** The policy.json verdict for a logical reference (mirrors are judged on the logical reference too). */
export interface PolicyDecision {
  /** true allowed, false rejected, null allowed only with a valid signature (not checked). */
  allowed: boolean | null;
  /** The policy key that decided: a scope, `""` (transport default) or `default`. */
  scope: string;
  message: string;
}

export type ResolutionErrorKind = 'parse' | 'config' | 'rewrite' | 'shortname' | 'transport';

export interface Resolution {
  /** The argument as given (`docker://REF` or a bare REF). */
  ref: string;
  /** The normalized reference (docker.io/library/…, :latest added where the transport adds it), or null on error. */
  normalized: string | null;
  registry: MatchedRegistry | null;
  sources: PullSource[];
  skipped: SkippedMirror[];
  /** Short names only (bare REF form without a registry): candidates in try order. */
  candidates?: ShortNameCandidate[];
  error: string | null;
  errorKind?: ResolutionErrorKind | null;
  /** Notes in words for the text report (no match, short-name mode decisions, …). */
  notes?: string[];
  /** With a policy (`--policy`, or rendered from `--openshift`): the verdict for the normalized reference. */
  policy?: PolicyDecision;
  /** Which runtime's rules produced this Resolution; absent means containers/image. */
  runtime?: 'containers-image' | 'containerd';
  /**
   * containerd only: every host with `pull`, in containerd's order, whatever `resolve` says. After a tag resolves,
   * containerd fetches the manifest by digest and the blobs by walking these from the first (a `pull`-only mirror
   * is left out of `sources` for a tag, but serves the content). Absent: the engine walks `sources`.
   */
  containerdFetchHosts?: ContainerdEndpoint[];
}
