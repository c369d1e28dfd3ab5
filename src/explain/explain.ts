/**
 * Parsed attempts → what happened in plain words, what to do (the project's one table of fix texts,
 * src/report/what-to-do.ts), and, when a configuration is given, how the node's chain compares with the chain
 * that configuration would produce. Pure: the caller resolves the image and looks up credentials and certs.d.
 */
import type { ErrorClass } from '../registry/error-class.ts';
import type { PullSource, Resolution } from '../resolve/resolution.ts';
import { fixFor, fixForClass, type Fix } from '../report/what-to-do.ts';
import type { AfterChoice, ParsedAttempt, ParsedError } from './parse.ts';

export interface ExplainContext {
  /** The image resolved with the given configuration (null without one). */
  resolution: Resolution | null;
  /** Where that configuration came from, for messages (`registries.conf`, `the cluster objects`). */
  configName?: string;
  /** The auth.json entry the runtime would use for a physical repository name, in words (describeCredentials). */
  credentialsFor?: (repository: string) => string;
  /** The certs.d directory the runtime would read for `host[:port]`. */
  certDirFor?: (hostPort: string) => string;
}

export type FindingKind =
  | 'no-mirror-tried'
  | 'mirror-not-tried'
  | 'not-in-config'
  | 'order-differs'
  | 'tag-on-digest-only'
  | 'blocked-by'
  | 'credentials'
  | 'ca-file'
  | 'truncated'
  | 'retried';

export interface Finding {
  kind: FindingKind;
  /** What it concerns: a source reference or host, or the image. */
  subject: string;
  message: string;
}

export interface ExplainedAttempt extends ParsedAttempt {
  /** What happened, in plain words. */
  what: string;
}

export interface Explanation {
  parsed: ParsedError;
  /** One line: the outcome. */
  summary: string;
  attempts: ExplainedAttempt[];
  afterChoice: (AfterChoice & { what: string }) | null;
  /** The chain the configuration gives for this image, when one was given. */
  expected: { reference: string; mirror: boolean; blocked: boolean; origin: string | null }[] | null;
  findings: Finding[];
  whatToDo: Fix[];
}

const HAPPENED: Record<ErrorClass, (host: string, status: number | null) => string> = {
  refused: (h) => `nothing accepted the connection at ${h} (connection refused, or no route)`,
  proxy: (h, s) => `the proxy on the way to ${h} failed${s === 407 ? ' (407: it wants credentials, or refused the ones in the proxy URL)' : ''}: the registry itself was not reached`,
  dns: (h) => `the host name of ${h} does not resolve (DNS)`,
  tls: (h) => `the TLS connection to ${h} failed: its certificate was not accepted`,
  'http-to-https': (h) => `${h} speaks plain HTTP, and the endpoint is not marked insecure, so HTTPS was used`,
  timeout: (h) => `${h} did not answer before the deadline`,
  reset: (h) => `${h} closed the connection without an answer`,
  unauthorized: (h, s) => `${h} refused the request as unauthenticated${s ? ` (HTTP ${s})` : ''}: no credentials, or the wrong ones`,
  forbidden: (h, s) => `${h} denied access${s ? ` (HTTP ${s})` : ''}: the credentials have no pull right there`,
  'not-found': (h) => `${h} does not have this image (manifest unknown: not mirrored there, or a wrong path, tag or digest)`,
  'rate-limited': (h) => `${h} is rate-limiting pulls (HTTP 429)`,
  'server-error': (h, s) => `${h} failed with a server error${s ? ` (HTTP ${s})` : ''}`,
  'digest-mismatch': () => 'the content served does not match its digest',
  'not-a-registry': (h) => `something other than a registry answered at ${h} (a web page, a proxy, another protocol)`,
  'too-large': (h) => `${h} sent more than the runtime accepts (headers or manifest too large)`,
  blocked: (h) => `${h} is blocked by registries.conf: the runtime did not contact it`,
  policy: () => 'policy.json rejected the image',
  config: () => 'the pull stopped before any registry was contacted: the configuration or the reference is not accepted',
  'http-error': (h, s) => `${h} answered with an unexpected status${s ? ` (HTTP ${s})` : ''}`,
  'signature-missing': (h) => `${h} served the image, but no signature for it was found where the runtime looks (that source's lookaside or .sig attachment)`,
  'signature-invalid': (h) => `${h} served the image, and its signature does not verify`,
  'identity-mismatch': (h) => `${h} served the image, and its signature names another image than the one pulled`,
  'untrusted-key': (h) => `${h} served the image, signed by a key policy.json does not trust`,
  cancelled: (h) => `the pull was cancelled while waiting for ${h}`,
  credentials: (h) => `looking up the credentials for ${h} failed before any request (a credential helper failed, or an auth file entry is unreadable)`,
  other: (h) => `the attempt on ${h} failed (the error below says how)`,
};

const STEP_WORDS: Record<string, string> = { ping: 'at the ping (GET /v2/)', auth: 'while getting a token', manifest: 'at the manifest GET', blobs: 'while reading a blob' };

function role(a: ParsedAttempt, index: number, mirrors: number): string {
  if (a.mirror === true) return `mirror ${index + 1}${mirrors > 1 ? ` of ${mirrors}` : ''}`;
  if (a.mirror === false) return 'the primary';
  return 'the only source tried';
}

function describeAttempt(a: ParsedAttempt, index: number, mirrors: number): string {
  const subject = a.reference ?? a.host ?? 'the source';
  const step = a.step && a.errorClass !== 'blocked' && a.errorClass !== 'config' ? ` ${STEP_WORDS[a.step]}` : '';
  return `${role(a, index, mirrors)}, ${subject}: ${HAPPENED[a.errorClass](a.host ?? subject, a.httpStatus)}${step}`;
}

/** `host/ns/repo:tag` → `host/ns/repo`. */
export function repositoryOf(ref: string): string {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return colon > slash ? base.slice(0, colon) : base;
}

function planOf(r: Resolution): { sources: PullSource[]; skipped: Resolution['skipped'] } {
  if (r.candidates && r.candidates.length > 0) return { sources: r.candidates.flatMap((c) => c.sources), skipped: r.candidates.flatMap((c) => c.skipped) };
  return { sources: r.sources, skipped: r.skipped };
}

/** Compares the node's attempts with the chain the configuration gives. */
function compare(p: ParsedError, ctx: ExplainContext, findings: Finding[], fixes: Fix[]): Explanation['expected'] {
  const r = ctx.resolution;
  if (r === null) return null;
  const where = ctx.configName ?? 'this configuration';
  const { sources, skipped } = planOf(r);
  const expected = sources.map((s) => ({ reference: s.reference, mirror: s.mirror, blocked: s.blocked, origin: s.blockedBy?.origin ?? s.origin ?? null }));
  if (p.afterChoice !== null && p.attempts.length === 0) return expected;
  const tried = p.attempts.map((a) => a.reference).filter((x): x is string => x !== null);
  const planned = sources.map((s) => s.reference);
  const subject = p.normalized ?? r.normalized ?? r.ref;
  const nodeMirrors = p.attempts.filter((a) => a.mirror === true).length;
  const planMirrors = sources.filter((s) => s.mirror);
  const digestOnly = skipped.filter((s) => s.kind === 'digest-only');

  if (digestOnly.length > 0 && nodeMirrors === 0) {
    findings.push({
      kind: 'tag-on-digest-only',
      subject,
      message: `per ${where}, this image has ${digestOnly.length === 1 ? 'a mirror' : `${digestOnly.length} mirrors`} (${digestOnly.map((s) => s.location).join(', ')}) that serve${digestOnly.length === 1 ? 's' : ''} digests only, and this is a tag pull: the runtime leaves ${digestOnly.length === 1 ? 'it' : 'them'} out`,
    });
    fixes.push(fixFor(subject, 'tag-on-digest-only'));
  }
  if (nodeMirrors === 0 && planMirrors.length > 0 && !p.truncated) {
    findings.push({
      kind: 'no-mirror-tried',
      subject,
      message: `per ${where}, this image has ${planMirrors.length === 1 ? 'a mirror' : `${planMirrors.length} mirrors`} (${planMirrors.map((s) => s.reference).join(', ')}), but the node tried no mirror: the node's registries.conf has none for this prefix, or the MachineConfig has not rolled out`,
    });
    fixes.push(fixFor(subject, 'config-not-applied'));
  } else if (nodeMirrors > 0) {
    for (const s of planMirrors) {
      if (!tried.includes(s.reference) && !p.truncated) {
        findings.push({ kind: 'mirror-not-tried', subject: s.reference, message: `this mirror comes from ${where} (${s.origin ?? s.location}), but the error does not mention it: the node's configuration differs` });
      }
    }
  }
  for (const ref of tried) {
    if (!planned.includes(ref)) {
      findings.push({ kind: 'not-in-config', subject: ref, message: `the node tried ${ref}, which is not in ${where}: the node's configuration is not this one` });
    }
  }
  const common = tried.filter((t) => planned.includes(t));
  const plannedCommon = planned.filter((t) => common.includes(t));
  if (common.join('\n') !== plannedCommon.join('\n')) {
    findings.push({ kind: 'order-differs', subject, message: `the node tried ${common.join(', ')} in that order; per ${where}: ${plannedCommon.join(', ')}` });
  }
  for (const a of p.attempts) {
    if (a.errorClass !== 'blocked') continue;
    const s = sources.find((x) => x.reference === a.reference && x.blocked);
    if (s?.blockedBy) findings.push({ kind: 'blocked-by', subject: a.reference ?? s.reference, message: `blocked by the [[registry]] entry with prefix "${s.blockedBy.prefix}" at ${s.blockedBy.origin}` });
  }
  if (r.error !== null) findings.push({ kind: 'not-in-config', subject, message: `per ${where}, this image does not resolve: ${r.error}` });
  return expected;
}

export function explain(p: ParsedError, ctx: ExplainContext = { resolution: null }): Explanation {
  const findings: Finding[] = [];
  const fixes: Fix[] = [];
  const mirrors = p.attempts.filter((a) => a.mirror === true).length;
  // A lone error does not say whether it came from a mirror or the primary; the configuration's chain does.
  const planned = ctx.resolution !== null ? planOf(ctx.resolution).sources : [];
  const attempts: ExplainedAttempt[] = p.attempts.map((a, i) => {
    const known = a.mirror === null ? planned.find((s) => s.reference === a.reference) : undefined;
    const shown = known ? { ...a, mirror: known.mirror } : a;
    return { ...a, what: describeAttempt(shown, i, mirrors) };
  });
  const afterChoice = p.afterChoice === null ? null : { ...p.afterChoice, what: `a source served the manifest, then the pull failed${p.afterChoice.step ? ` ${STEP_WORDS[p.afterChoice.step]}` : ''}: ${HAPPENED[p.afterChoice.errorClass]('the chosen source', p.afterChoice.httpStatus)}; the runtime does not fail over after choosing a source, and this error does not say which one it chose` };

  for (const a of p.attempts) {
    const subject = a.reference ?? a.host ?? p.normalized ?? 'the image';
    const f = fixForClass(subject, a.errorClass);
    if (f) fixes.push(f);
    if ((a.errorClass === 'unauthorized' || a.errorClass === 'forbidden') && a.reference !== null && ctx.credentialsFor) {
      const repo = repositoryOf(a.reference);
      findings.push({ kind: 'credentials', subject: a.reference, message: `for ${repo} the runtime uses ${ctx.credentialsFor(repo)} (looked up by the source's own host, never the image's)` });
    }
    if (a.errorClass === 'tls' && a.host !== null) {
      const dir = ctx.certDirFor ? ctx.certDirFor(a.host) : `/etc/containers/certs.d/${a.host}`;
      findings.push({ kind: 'ca-file', subject: a.host, message: `the runtime reads CA files (*.crt) for ${a.host} from ${dir}/; on OpenShift, add the CA to image.config additionalTrustedCA under the key "${a.host.replace(':', '..')}"` });
    }
  }
  if (p.afterChoice !== null) {
    fixes.push(fixForClass(p.normalized ?? 'the image', p.afterChoice.errorClass) ?? fixFor(p.normalized ?? 'the image', 'after-choice'));
  }
  const expected = compare(p, ctx, findings, fixes);
  if (p.truncated) findings.push({ kind: 'truncated', subject: p.normalized ?? 'the input', message: 'the text is cut off: attempts after the cut are unknown (kubectl describe and some log views truncate long events; `oc get events -o json` keeps them whole)' });
  if (p.retries > 0) findings.push({ kind: 'retried', subject: p.normalized ?? 'the image', message: `podman retried the whole pull ${p.retries} time(s), 1 s apart, with the same result each time: podman 4.3 retries when the last error is a network error or a 429 (seen: connection refused, reset, toomanyrequests), not for DNS, TLS, auth or other HTTP status errors` });

  return { parsed: p, summary: summaryOf(p), attempts, afterChoice, expected, findings, whatToDo: dedupe(fixes) };
}

function summaryOf(p: ParsedError): string {
  const image = p.normalized ?? p.attempts.find((a) => a.mirror !== true)?.reference ?? 'the image';
  if (p.afterChoice !== null && p.attempts.length === 0) return `${image}: a source was chosen, then the pull failed (${p.afterChoice.errorClass})`;
  const n = p.attempts.length;
  const classes = [...new Set(p.attempts.map((a) => a.errorClass))].join(', ');
  if (p.attempts.every((a) => a.errorClass === 'config')) return `${image}: failed before any registry was contacted (config)`;
  return `${image}: ${n === 1 ? '1 source tried, it failed' : `${n} sources tried, all failed`} (${classes})${p.truncated ? '; the text is cut off' : ''}`;
}

function dedupe(fixes: Fix[]): Fix[] {
  const seen = new Set<string>();
  return fixes.filter((f) => {
    const k = `${f.subject}\0${f.topic}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
