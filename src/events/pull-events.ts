/**
 * AttemptEvents: the one event type that flows from the pull engine to every view
 * (TUI, text, JSON Lines, statistics, scenario expectations). Views never re-derive what is here.
 * Field names are the JSON Lines contract of `pullpath pull --output json`.
 *
 * A module of its own, beside the engine rather than inside it: views (src/report, cli/tui, load and verify
 * statistics) import the contract without importing the pull engine.
 */
import type { MatchedRegistry, SkippedMirror } from '../resolve/resolution.ts';

/** Machine-readable failure classes (defined beside the registry client, which produces most of them). */
import type { ErrorClass } from '../registry/error-class.ts';
export type { ErrorClass };

import type { AttemptStep, StepName } from '../registry/step.ts';
import type { SignatureCheck } from '../signature/types.ts';
import type { CredentialSource } from '../registry/credential-store.ts';
export type { CredentialSource };
export type { SignatureCheck };
export type { AttemptStep, StepName };

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
  /**
   * Which credentials the attempt used: auth file and key, credential helper, or flag (with the user name,
   * never the password or token), or `none` with where it looked. Absent when the lookup itself failed
   * (errorClass `credentials`) or for a blocked source.
   */
  credentials?: CredentialSource;
  /** Notes for people that are not the runtime's words (e.g. "the runtime would wait here forever"). */
  notes?: string[];
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
  /** When the top-level manifest was an index/list: the platform chosen and that instance's manifest. */
  platform?: string;
  instanceDigest?: string | null;
  instanceMediaType?: string | null;
  /** Notes for people: why no failover happened, what pullpath checked beyond the runtime. */
  notes?: string[];
  /** Policy verdict when a policy was given. */
  policy?: { allowed: boolean | null; scope: string; message: string };
  /**
   * When the policy requires signatures for the pulled name and they were verified (as the runtime does after
   * choosing the source): where they were looked for, and each signature requirement's result in policy order.
   */
  signatures?: { ok: boolean; lookedIn: string[]; checks: SignatureCheck[] };
}

export type PullEvent = ImageStartEvent | AttemptStartEvent | AttemptEvent | ResultEvent;
