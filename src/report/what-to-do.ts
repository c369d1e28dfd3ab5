/**
 * What a user can do about each way a pull goes wrong: the one source of the fix texts that `verify`,
 * `resolve` and `pull` print (text and JSON). Pure: data in, suggestions out.
 *
 * A suggestion names its subject (the mirror or source it concerns) so a chain with several failures
 * says which fix belongs where.
 */
import type { AttemptEvent, ErrorClass, ImageStartEvent, ResultEvent } from '../events/pull-events.ts';
import type { Resolution, SkippedMirror } from '../resolve/resolution.ts';
import type { VerifyReason } from '../verify/verdict.ts';
import { credentialsSent } from '../registry/credential-words.ts';

export type FixTopic =
  | 'tag-on-digest-only'
  | 'digest-on-tag-only'
  | 'tag-on-pull-only-host'
  | 'no-mirror'
  | 'blocked'
  | 'not-found'
  | 'auth'
  | 'auth-rejected'
  | 'auth-missing'
  | 'credentials-lookup'
  | 'unreachable'
  | 'proxy'
  | 'timeout'
  | 'tls'
  | 'http-to-https'
  | 'not-a-registry'
  | 'digest-mismatch'
  | 'registry-error'
  | 'rate-limited'
  | 'blobs-missing'
  | 'policy'
  | 'invalid-reference'
  | 'resolution-error'
  | 'source-only'
  | 'signature-missing'
  | 'signature-invalid'
  | 'identity-mismatch'
  | 'untrusted-key'
  | 'cancelled'
  | 'config-not-applied'
  | 'after-choice';

export const FIX_TEXT: Record<FixTopic, string> = {
  'tag-on-digest-only': 'pin by digest, or add an ImageTagMirrorSet (registries.conf: pull-from-mirror = "all" or "tag-only")',
  'digest-on-tag-only': 'pull by tag, or add an ImageDigestMirrorSet (registries.conf: pull-from-mirror = "all" or "digest-only")',
  'tag-on-pull-only-host': 'pin by digest, or give the host capabilities = ["pull", "resolve"] in its hosts.toml (containerd resolves tags only on hosts with "resolve")',
  'no-mirror': 'add a mirror for its repository: an ImageDigestMirrorSet (or ImageTagMirrorSet for tags); registries.conf: [[registry.mirror]]',
  blocked: 'blocked in registries.conf (image.config blockedRegistries, or mirrorSourcePolicy: NeverContactSource): add a mirror that serves it, or unblock it',
  'not-found': 'the image is not there: check the name, tag and digest; on a mirror, mirror the image (oc-mirror, skopeo copy)',
  auth: 'check the credentials in auth.json (the pull secret) for that host: a mirror uses its own host\'s entry, never the source\'s',
  'auth-rejected':
    'the credentials sent were refused: renew the password or token at the place named (auth file and key, credential helper, or --creds); a more specific key (host/namespace) wins over the host key, and the first file with a match wins',
  'auth-missing':
    'no credentials were sent: add an entry for THAT host (and path) to the pull secret / auth.json, or a credHelpers entry for it; a mirror never gets the source\'s entry nor --creds',
  'credentials-lookup':
    'looking up the credentials failed before any request: fix the credential helper named (docker-credential-NAME on PATH, unlocked, answering `get`), or the auth file entry named',
  unreachable: 'nothing answered: check the host name, port, DNS, firewall and proxy',
  proxy:
    'the proxy failed, not the registry: check HTTPS_PROXY/HTTP_PROXY (the node\'s crio.service environment; on OpenShift proxy.config.openshift.io/cluster), the proxy\'s credentials (407), its ACLs for CONNECT to this host:port, or add the host to NO_PROXY (noProxy) if it must be reached directly',
  timeout: 'no answer before the deadline: a firewall may drop the connection silently; check the route, or raise --timeout',
  tls: 'TLS failed: put the registry\'s CA in certs.d/HOST[:PORT]/ca.crt (image.config additionalTrustedCA), or mark the endpoint insecure',
  'http-to-https': 'the endpoint speaks plain HTTP: set insecure = true for it (image.config insecureRegistries), or serve TLS',
  'not-a-registry': 'something other than a registry answered (a proxy login, a web page): check the host, port and proxy settings',
  'digest-mismatch': 'the content served does not match its digest: re-mirror the image',
  'registry-error': 'the registry answered with an error (5xx or an unexpected status): check its logs and storage, then retry',
  'rate-limited': 'the registry is rate-limiting pulls (429): authenticate, wait, or pull through a mirror',
  'blobs-missing': 'the manifest is there but blobs are missing (the pull would fail mid-way, with no failover): re-mirror the image',
  policy: 'rejected by policy.json (judged on the image as asked for): allow its scope (image.config allowedRegistries / blockedRegistries)',
  'invalid-reference': 'the reference is not accepted as written: fix it (the error says why)',
  'resolution-error': 'fix registries.conf or the reference (the error says which); a short name needs an alias or unqualified-search-registries, or qualify it',
  'source-only': 'only the source served it, so a disconnected cluster would fail: mirror the image and add an ImageDigestMirrorSet',
  'signature-missing':
    'the source that served it has no signature for it: mirror the signatures with the image (oc-mirror, or skopeo copy / cosign copy with signatures), and for sigstore add use-sigstore-attachments for the MIRROR in registries.d: signatures are read only from the source that served the image',
  'signature-invalid': 'a signature is there but does not verify (another digest, a damaged or foreign signature): re-mirror the image with its signatures, or re-sign it; a re-pushed tag has a new digest',
  'identity-mismatch':
    'the signature names another image than the one pulled: policy.json signedIdentity decides which names are accepted (remapIdentity or matchRepository when signatures name another path); or re-sign with the name pulled',
  'untrusted-key': 'signed by a key policy.json does not trust: add its public key (keyPath, keyPaths, keyData) or re-sign with a trusted key; for GPG the primary key must sign (a signing subkey is not accepted)',
  cancelled: 'the run was stopped (Ctrl-C or a closed output) before an answer: run it again',
  'config-not-applied': "the node did not try what this configuration says: check that the MachineConfig has rolled out (oc get mcp; the node's /etc/containers/registries.conf) or compare the node's files with --root",
  'after-choice': 'a source served the manifest and the pull failed after that (no failover): fix that source, e.g. re-mirror the image, or remove the mirror',
};

export interface Fix {
  /** What it concerns: a mirror or source location, or the image. */
  subject: string;
  topic: FixTopic;
  text: string;
}

const TOPIC_OF_CLASS: Partial<Record<ErrorClass, FixTopic>> = {
  refused: 'unreachable',
  proxy: 'proxy',
  dns: 'unreachable',
  reset: 'unreachable',
  timeout: 'timeout',
  tls: 'tls',
  'http-to-https': 'http-to-https',
  unauthorized: 'auth',
  forbidden: 'auth',
  'not-found': 'not-found',
  'rate-limited': 'rate-limited',
  'server-error': 'registry-error',
  'http-error': 'registry-error',
  'too-large': 'registry-error',
  'digest-mismatch': 'digest-mismatch',
  'not-a-registry': 'not-a-registry',
  blocked: 'blocked',
  policy: 'policy',
  config: 'resolution-error',
  'signature-missing': 'signature-missing',
  'signature-invalid': 'signature-invalid',
  'identity-mismatch': 'identity-mismatch',
  'untrusted-key': 'untrusted-key',
  credentials: 'credentials-lookup',
};

/** The fix for an attempt that failed with `cls` (`blocked` outcome included), or null when there is none to give. */
export function fixForClass(subject: string, cls: ErrorClass): Fix | null {
  const topic = TOPIC_OF_CLASS[cls];
  return topic === undefined ? null : fix(subject, topic);
}

/** The fix for `topic`, about `subject`. */
export function fixFor(subject: string, topic: FixTopic): Fix {
  return fix(subject, topic);
}

/** The verify summary's reasons, each with its fix (same words as resolve and pull). */
export const VERIFY_REASON_TOPIC: Record<VerifyReason, FixTopic> = {
  'invalid-reference': 'invalid-reference',
  'resolution-error': 'resolution-error',
  'no-mirror': 'no-mirror',
  'tag-on-digest-only': 'tag-on-digest-only',
  blocked: 'blocked',
  'not-mirrored': 'not-found',
  auth: 'auth',
  unreachable: 'unreachable',
  proxy: 'proxy',
  'not-a-registry': 'not-a-registry',
  'digest-mismatch': 'digest-mismatch',
  'mirror-error': 'registry-error',
  'blobs-missing': 'blobs-missing',
  policy: 'policy',
  'source-only': 'source-only',
  'signature-missing': 'signature-missing',
  'signature-invalid': 'signature-invalid',
  'identity-mismatch': 'identity-mismatch',
  cancelled: 'cancelled',
};

const fix = (subject: string, topic: FixTopic): Fix => ({ subject, topic, text: FIX_TEXT[topic] });

/**
 * The same topics on a containerd node, where the fix is in hosts.toml (or the CRI plugin), not registries.conf.
 * Topics absent here keep FIX_TEXT's words, which hold for both runtimes.
 */
export const CONTAINERD_FIX_TEXT: Partial<Record<FixTopic, string>> = {
  'http-to-https': 'the host speaks plain HTTP: name it with http:// in hosts.toml ([host."http://HOST:PORT"]); skip_verify only turns off certificate checks, it never allows HTTP',
  tls: 'TLS failed: give the host its CA in hosts.toml (ca = "/etc/containerd/certs.d/HOST/ca.crt"), or skip_verify = true; otherwise the system trust store decides',
  auth: 'containerd asks each host for its own credentials (the kubelet\'s pull secret, or the CRI plugin\'s registry.configs."HOST".auth): a mirror needs an entry for the mirror\'s host',
  'rate-limited': 'the host answered 429 six times in a row (containerd resends at once, without waiting), then containerd moved on to the next host: authenticate to it, or raise its limits',
};

/** A containerd host's location is its URL (`http://mirror:5000/v2`); containers/image locations have no scheme. */
const isContainerdLocation = (location: string): boolean => /^https?:\/\//.test(location);

const ctrdFix = (subject: string, topic: FixTopic): Fix => ({ subject, topic, text: CONTAINERD_FIX_TEXT[topic] ?? FIX_TEXT[topic] });

function skipFix(s: SkippedMirror): Fix | null {
  // containerd: a host without "pull" is never used; one without "resolve" is left out of tag pulls.
  if (s.kind === 'capability') {
    if (/without "pull"/.test(s.reason)) return { subject: `${s.location} (skipped)`, topic: 'digest-on-tag-only', text: 'the host lacks the "pull" capability: containerd never pulls from it; add "pull" to its capabilities' };
    return fix(`${s.location} (skipped)`, 'tag-on-pull-only-host');
  }
  if (s.kind === 'digest-only') return fix(`${s.location} (skipped)`, 'tag-on-digest-only');
  if (s.kind === 'tag-only') return fix(`${s.location} (skipped)`, 'digest-on-tag-only');
  return null;
}

function dedupe(fixes: (Fix | null)[]): Fix[] {
  const seen = new Set<string>();
  return fixes.filter((f): f is Fix => {
    if (f === null) return false;
    const key = `${f.subject}\0${f.topic}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `resolve`, offline: a resolution error, a policy rejection, mirrors left out for this reference, and
 * sources that are blocked (when no source is left to pull from).
 */
export function resolutionFixes(r: Resolution): Fix[] {
  const subject = r.normalized ?? r.ref;
  if (r.error !== null) return [fix(r.ref, r.errorKind === 'parse' || r.errorKind === 'transport' ? 'invalid-reference' : 'resolution-error')];
  const fixes: (Fix | null)[] = r.skipped.map(skipFix);
  if (r.sources.length > 0 && r.sources.every((s) => s.blocked)) fixes.push(...r.sources.map((s) => fix(s.location || s.reference, 'blocked')));
  if (r.policy?.allowed === false) fixes.push(fix(subject, 'policy'));
  return dedupe(fixes);
}

/** An attempt's fix topic: a 401 with credentials sent is a rejection, without any a missing entry. */
function attemptTopic(a: AttemptEvent): FixTopic | undefined {
  if (a.errorClass === 'unauthorized' && a.credentials) return credentialsSent(a.credentials) ? 'auth-rejected' : 'auth-missing';
  return TOPIC_OF_CLASS[a.errorClass ?? 'other'];
}

/**
 * `pull`, for an image that failed: each mirror left out, each attempt's failure (in try order), missing
 * blobs and a policy rejection. Nothing for an image that pulled.
 */
export function pullFixes(start: ImageStartEvent | undefined, attempts: readonly AttemptEvent[], result: ResultEvent): Fix[] {
  if (result.ok) return [];
  if (start?.error) return [fix(start.normalized ?? start.image, /^invalid reference format/.test(start.error) ? 'invalid-reference' : 'resolution-error')];
  const fixes: (Fix | null)[] = (start?.skipped ?? []).map(skipFix);
  for (const a of attempts) {
    if (a.outcome === 'ok') continue;
    const topic = a.outcome === 'blocked' ? 'blocked' : attemptTopic(a);
    if (topic !== undefined) fixes.push(isContainerdLocation(a.location) ? ctrdFix(a.location, topic) : fix(a.location || a.reference, topic));
  }
  if (result.missingBlobs && result.missingBlobs.length > 0) fixes.push(fix(result.source ?? result.image, 'blobs-missing'));
  if (result.errorClass === 'policy' || result.policy?.allowed === false) fixes.push(fix(result.image, 'policy'));
  return dedupe(fixes);
}

/** Text lines (`  what to do:` and one `    - SUBJECT: TEXT` per fix), or none. */
export function formatFixes(fixes: readonly Fix[], indent = '  '): string[] {
  if (fixes.length === 0) return [];
  return [`${indent}what to do:`, ...fixes.map((f) => `${indent}  - ${f.subject}: ${f.text}`)];
}
