/**
 * One network step of an attempt, as the registry client records it. Re-exported by `src/events/pull-events.ts`
 * (the event contract); defined here so the client does not depend on the engine.
 */
import type { ErrorClass } from './error-class.ts';

export type StepName = 'ping' | 'auth' | 'manifest' | 'blobs' | 'signature';

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

