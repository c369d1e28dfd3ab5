/**
 * containerd 1.6's error texts for a pull, built from its sources (remotes/docker/resolver.go, fetcher.go,
 * errcode.go, pull.go) and what `ctr` and `crictl pull` print around them. Pure functions, no I/O.
 */
import { goStatus } from '../registry/containerd-request.ts';

/** Go's `%v` of a []string: `[manifests v1]`. */
export function goSlice(parts: readonly string[]): string {
  return `[${parts.join(' ')}]`;
}

/** resolver.go: a status > 399 that is not 404 (kept as the first error, the next host is tried). */
export function hostStatusError(host: string, parts: readonly string[], status: number): string {
  return `pulling from host ${host} failed with status code ${goSlice(parts)}: ${goStatus(status)}`;
}

/** resolver.go: a 3xx left after redirects (no Location): the pull stops here. */
export function unexpectedHostStatusError(host: string, parts: readonly string[], status: number): string {
  return `pulling from host ${host} failed with unexpected status code ${goSlice(parts)}: ${goStatus(status)}`;
}

/** pull.go (client.Fetch / client.Pull): what every resolve failure is wrapped in. */
export function resolveFailed(ref: string, err: string): string {
  return `failed to resolve reference ${JSON.stringify(ref)}: ${err}`;
}

/** Registry error codes containerd knows (errdesc.go); any other code reads as `unknown`. */
const KNOWN_CODES: Record<string, string> = {
  UNKNOWN: 'unknown error',
  UNSUPPORTED: 'The operation is unsupported.',
  UNAUTHORIZED: 'authentication required',
  DENIED: 'requested access to the resource is denied',
  UNAVAILABLE: 'service unavailable',
  TOOMANYREQUESTS: 'too many requests',
};

/**
 * errcode.go Errors.Error() of a registry's JSON error body, or null when it does not decode to at least one
 * error (fetcher.go then prints the status alone).
 */
export function containerdRegistryErrors(body: Buffer): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const list = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list) || list.length === 0) return null;
  const texts = list.map((e: { code?: unknown; message?: unknown; detail?: unknown }) => {
    const code = typeof e?.code === 'string' && e.code in KNOWN_CODES ? e.code : 'UNKNOWN';
    const codeText = code.replace(/_/g, ' ').toLowerCase();
    const message = typeof e?.message === 'string' ? e.message : '';
    const plain = (e?.detail === undefined || e.detail === null) && (message === '' || message === KNOWN_CODES[code]);
    return plain ? codeText : `${codeText}: ${message}`;
  });
  return texts.length === 1 ? texts[0]! : `errors:\n${texts.map((t) => t + '\n').join('')}`;
}

/** fetcher.go open(): the error for a non-2xx answer while fetching content. */
export function fetchStatusError(url: string, status: number, body: Buffer): string {
  if (status === 404) return `content at ${url} not found: not found`;
  const server = containerdRegistryErrors(body);
  return server === null ? `unexpected status code ${url}: ${goStatus(status)}` : `unexpected status code ${url}: ${goStatus(status)} - Server message: ${server}`;
}

/** Errors that wrap errdefs.ErrNotFound (gRPC code NotFound at the CRI): they end in `: not found`. */
export function isNotFoundError(err: string): boolean {
  return /(^|: )not found$/.test(err);
}

/** The lines users see: `ctr` (its main prints `ctr: ERR`) and `crictl pull` (the CRI wraps and returns a gRPC status). */
export function containerdPrintedErrors(ref: string, err: string): { ctr: string; crictl: string } {
  const code = isNotFoundError(err) ? 'NotFound' : / context deadline exceeded$/.test(err) ? 'DeadlineExceeded' : / context canceled$/.test(err) ? 'Canceled' : 'Unknown';
  return {
    ctr: `ctr: ${err}`,
    crictl: `pulling image: rpc error: code = ${code} desc = failed to pull and unpack image ${JSON.stringify(ref)}: ${err}`,
  };
}
