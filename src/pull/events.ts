/**
 * AttemptEvents: the one event type that flows from the pull engine to every view
 * (TUI, text, JSON Lines, statistics, scenario expectations). Views never re-derive what is here.
 * Field names are the JSON Lines contract of `pullpath pull --output json`.
 */
import type { MatchedRegistry, SkippedMirror } from '../resolve/resolution.ts';

/** Machine-readable failure classes. */
export type ErrorClass =
  | 'refused' // TCP connection refused (no listener)
  | 'dns' // host name does not resolve
  | 'tls' // TLS handshake / certificate failure
  | 'http-to-https' // plain-HTTP server contacted over HTTPS ("server gave HTTP response to HTTPS client")
  | 'timeout' // per-attempt or overall deadline reached (includes a blackholed endpoint)
  | 'reset' // connection reset / closed mid-response
  | 'unauthorized' // 401 after auth was attempted
  | 'forbidden' // 403
  | 'not-found' // 404 (manifest unknown, name unknown, not mirrored)
  | 'rate-limited' // 429
  | 'server-error' // 5xx
  | 'digest-mismatch' // content does not match the requested or announced digest
  | 'not-a-registry' // HTML page, missing API header, wrong content type (captive portal, login proxy)
  | 'too-large' // body over the limit
  | 'blocked' // refused by registries.conf (blocked = true), no network traffic
  | 'policy' // rejected by policy.json
  | 'config' // resolution/rewrite error before any network access
  | 'http-error' // any other unexpected HTTP status
  | 'other';

export type StepName = 'ping' | 'auth' | 'manifest' | 'blobs';

/** One network step inside an attempt. */
export interface AttemptStep {
  step: StepName;
  ok: boolean;
  /** Redacted URL (no credentials, no tokens). */
  url?: string;
  method?: string;
  httpStatus?: number | null;
  durationMs: number;
  error?: string | null;
  errorClass?: ErrorClass | null;
  /** Free-form details for people: "fell back to http", "token for repository:x:pull", "3 of 4 blobs present". */
  detail?: string;
}

/** An image's pull has begun: its resolution is known. Lets views show the plan before attempts finish. */
export interface ImageStartEvent {
  type: 'image';
  image: string;
  /** Monotonic ms since the run started. */
  at: number;
  normalized: string | null;
  registry: MatchedRegistry | null;
  /** The planned sources, in try order. */
  plan: { reference: string; location: string; mirror: boolean; insecure: boolean; blocked: boolean }[];
  skipped: SkippedMirror[];
  /** Resolution error (parse, rewrite, short name): no attempt will follow. */
  error: string | null;
}

/** A source is being tried now (for live views). Always followed by an AttemptEvent with the same index. */
export interface AttemptStartEvent {
  type: 'attempt-start';
  image: string;
  index: number;
  at: number;
  reference: string;
  location: string;
  mirror: boolean;
  insecure: boolean;
}

/** One source tried: the outcome of one runtime attempt. */
export interface AttemptEvent {
  type: 'attempt';
  image: string;
  /** 0-based position in the try order. */
  index: number;
  at: number;
  reference: string;
  location: string;
  mirror: boolean;
  insecure: boolean;
  outcome: 'ok' | 'failed' | 'blocked';
  /** The runtime's wording (`pinging container registry H: …`, `reading manifest T in N: …`). */
  error: string | null;
  errorClass: ErrorClass | null;
  /** The status of the last HTTP response seen in this attempt, if any. */
  httpStatus: number | null;
  durationMs: number;
  steps: AttemptStep[];
}

/** The verdict for one image. */
export interface ResultEvent {
  type: 'result';
  image: string;
  at: number;
  ok: boolean;
  /** The physical reference that won, or null. */
  source: string | null;
  /** Index of the winning source in the try order. */
  sourceIndex: number | null;
  digest: string | null;
  mediaType: string | null;
  /** The runtime's final error (`(Mirrors also failed: […]): PRIMARY: ERR`), or null. */
  error: string | null;
  errorClass: ErrorClass | null;
  durationMs: number;
  /** With --check-blobs: digests the chosen source does not serve (the runtime would fail, no failover). */
  missingBlobs?: string[];
  /** Policy verdict when a policy was given. */
  policy?: { allowed: boolean | null; scope: string; message: string };
}

export type PullEvent = ImageStartEvent | AttemptStartEvent | AttemptEvent | ResultEvent;
