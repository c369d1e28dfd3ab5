/**
 * The runtime's debug lines for each source it tries, derived from the engine's AttemptEvents (the one
 * event type every view reads), worded as containers/image logs them (docker_image_src.go, seen in
 * skopeo 1.9.3 --debug runs):
 *   level=debug msg="Trying to access \"127.0.0.1:55013/lib/hello:v1\""
 *   level=debug msg="Accessing \"127.0.0.1:55013/lib/hello:v1\" failed: reading manifest v1 in …"
 * The runtime logs "Trying to access" before it finds a source blocked, so a blocked source gets both.
 */
import type { CredentialSource, PullEvent } from '../../src/events/pull-events.ts';
import { logLine } from './log-level.ts';

/** What the lines need of an attempt; verify's attempts (VerifyAttempt) carry the same fields. */
export interface AttemptLike {
  reference: string;
  outcome: string;
  error: string | null;
  credentials?: CredentialSource | undefined;
}

export function tryingLine(reference: string): string {
  return logLine('debug', `Trying to access "${reference}"`);
}

export function failedLine(reference: string, error: string): string {
  return logLine('debug', `Accessing "${reference}" failed: ${error}`);
}

/** `host/path` of a physical reference (tag or digest cut), as the runtime's ref.Name(). */
function repositoryName(reference: string): string {
  const at = reference.indexOf('@');
  const base = at >= 0 ? reference.slice(0, at) : reference;
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? base.slice(0, colon) : base;
}

/** pkg/docker/config's debug lines for the attempt's credential lookup (as skopeo 1.9.3 --debug prints them). */
export function credentialLines(reference: string, c: CredentialSource | undefined): string {
  if (!c) return '';
  const repo = repositoryName(reference);
  const host = repo.split('/')[0]!;
  switch (c.kind) {
    case 'flag':
    case 'no-creds':
      return logLine('debug', `Returning credentials for ${repo} from DockerAuthConfig`);
    case 'auth-file':
      return logLine('debug', `Found credentials for ${repo} in credential helper containers-auth.json in file ${c.file}`);
    case 'helper':
      return c.file
        ? logLine('debug', `Looking up in credential helper ${c.helper} based on credHelpers entry in ${c.file}`) + logLine('debug', `Found credentials for ${repo} in credential helper containers-auth.json in file ${c.file}`)
        : logLine('debug', `Found credentials for ${host} in credential helper ${c.helper}`);
    case 'none':
      return logLine('debug', `No credentials for ${repo} found`);
  }
}

/** The lines for attempts known only after the fact (verify's verdicts): Trying, then failed unless it won. */
export function attemptLines(attempts: readonly AttemptLike[]): string {
  let out = '';
  for (const a of attempts) {
    if (a.outcome === 'skipped') continue; // never tried: the runtime logs nothing for it
    out += tryingLine(a.reference) + credentialLines(a.reference, a.credentials);
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
      const creds = credentialLines(e.reference, e.credentials);
      if (creds) write(creds);
      if (e.outcome !== 'ok') write(failedLine(e.reference, e.error ?? e.outcome));
    }
  };
}
