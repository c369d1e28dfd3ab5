/**
 * The pull view's state: what the PullEvent stream has said so far, folded per image.
 * Plain data, no functions; built only by `reducePullEvents` (pull-reducer.ts).
 */
import type { ErrorClass, ResultEvent, StepName } from '../../../src/events/pull-events.ts';
import type { MatchedRegistry, SkippedMirror } from '../../../src/resolve/resolution.ts';

/** pending: resolved, nothing tried yet · trying: an attempt is in flight · ok/failed: the verdict arrived. */
export type ImageStatus = 'pending' | 'trying' | 'ok' | 'failed';

/** One source tried (or being tried) for an image, as the attempt chain shows it. */
export interface AttemptView {
  /** 0-based position in the try order (shown 1-based). */
  index: number;
  reference: string;
  /** The endpoint as configured ("" for a wildcard entry without location). */
  location: string;
  mirror: boolean;
  insecure: boolean;
  /** 'trying' until the AttemptEvent for this index arrives. */
  outcome: 'trying' | 'ok' | 'failed' | 'blocked';
  startedAt: number | null;
  durationMs: number | null;
  httpStatus: number | null;
  /** The runtime's wording, unchanged. */
  error: string | null;
  errorClass: ErrorClass | null;
  /** The first step that failed (ping, auth, manifest, blobs), if the engine reported steps. */
  failedStep: StepName | null;
  /** The attempt's `warning:` notes (e.g. a lying Docker-Content-Digest on a pull that succeeded). */
  warnings?: string[];
}

export interface ImageView {
  image: string;
  status: ImageStatus;
  normalized: string | null;
  /** The matched `[[registry]]` entry with its origin, as resolve/ reported it. */
  registry: MatchedRegistry | null;
  /** How many sources the plan holds (mirrors + primary). */
  planned: number;
  skipped: SkippedMirror[];
  /** Resolution error: nothing will be tried. */
  resolutionError: string | null;
  startedAt: number;
  endedAt: number | null;
  /** The source tried most recently while no verdict has arrived (the one in flight, or the one just failed), or null. */
  current: number | null;
  attempts: AttemptView[];
  result: {
    source: string | null;
    sourceIndex: number | null;
    digest: string | null;
    error: string | null;
    errorClass: ErrorClass | null;
    durationMs: number;
    missingBlobs?: string[];
    policy?: { allowed: boolean | null; scope: string; message: string };
    /** The signature step, when the policy required signatures and they were verified. */
    signatures?: ResultEvent['signatures'];
  } | null;
}

export interface PullTotals {
  images: number;
  pending: number;
  trying: number;
  ok: number;
  failed: number;
  attempts: number;
  failedAttempts: number;
  /** Images that succeeded from a source other than the first one tried. */
  failedOver: number;
}

/** A mirror the resolution left out, with the reason, and how many images it was left out for. */
export interface SkipNote {
  location: string;
  reason: string;
  origin?: string;
  images: number;
}

export interface PullViewState {
  /** Image names in the order they first appeared. */
  order: string[];
  /** Image name → its row. A Map: copying it per batch is cheap even with thousands of images. */
  images: ReadonlyMap<string, ImageView>;
  totals: PullTotals;
  /** Mirrors left out of plans, one note per (location, reason), in the order first seen. */
  skips: readonly SkipNote[];
  /** `at` of the first event (engine clock), or null before any event. */
  firstAt: number | null;
  /** Largest `at` seen (engine clock). */
  lastAt: number;
}

export function initialPullState(): PullViewState {
  return {
    order: [],
    images: new Map(),
    totals: { images: 0, pending: 0, trying: 0, ok: 0, failed: 0, attempts: 0, failedAttempts: 0, failedOver: 0 },
    skips: [],
    firstAt: null,
    lastAt: 0,
  };
}
