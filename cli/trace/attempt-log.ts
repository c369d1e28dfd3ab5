/**
 * The runtime's debug lines for each source it tries, derived from the engine's AttemptEvents (the one
 * event type every view reads), worded as containers/image logs them (docker_image_src.go, seen in
 * skopeo 1.9.3 --debug runs):
 *   level=debug msg="Trying to access \"127.0.0.1:55013/lib/hello:v1\""
 *   level=debug msg="Accessing \"127.0.0.1:55013/lib/hello:v1\" failed: reading manifest v1 in …"
 * The runtime logs "Trying to access" before it finds a source blocked, so a blocked source gets both.
 */
import type { PullEvent } from '../../src/events/pull-events.ts';
import { logLine } from './log-level.ts';

/** What the lines need of an attempt; verify's attempts (VerifyAttempt) carry the same fields. */
export interface AttemptLike {
  reference: string;
  outcome: string;
  error: string | null;
}

export function tryingLine(reference: string): string {
  return logLine('debug', `Trying to access "${reference}"`);
}

export function failedLine(reference: string, error: string): string {
  return logLine('debug', `Accessing "${reference}" failed: ${error}`);
}

/** The lines for attempts known only after the fact (verify's verdicts): Trying, then failed unless it won. */
export function attemptLines(attempts: readonly AttemptLike[]): string {
  let out = '';
  for (const a of attempts) {
    if (a.outcome === 'skipped') continue; // never tried: the runtime logs nothing for it
    out += tryingLine(a.reference);
    if (a.outcome !== 'ok') out += failedLine(a.reference, a.error ?? a.outcome);
  }
  return out;
}

/** Writes the lines as the events stream by: Trying at attempt-start, failed at a failed attempt. */
export function createAttemptLogger(write: (text: string) => void): (e: PullEvent) => void {
  const started = new Set<string>();
  return (e) => {
    if (e.type === 'attempt-start') {
      started.add(`${e.image}\u0000${e.index}`);
      write(tryingLine(e.reference));
    } else if (e.type === 'attempt') {
      if (!started.has(`${e.image}\u0000${e.index}`)) write(tryingLine(e.reference));
      if (e.outcome !== 'ok') write(failedLine(e.reference, e.error ?? e.outcome));
    }
  };
}
