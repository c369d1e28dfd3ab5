/**
 * The registry v2 client, worded and behaving as containers/image's docker client for the pull path:
 * `ping` (GET /v2/, https first, http after any https failure for an insecure endpoint), `getManifest`
 * (full Accept list, 4 MiB cap, auth from the ping's challenges), `headManifest`, `headBlob` and
 * `getBlobRange` (1-byte ranged GET, for the prober).
 * Every call appends AttemptSteps to `opts.steps` and throws RegistryError with the runtime's text.
 *
 * @example
 * const client = createRegistryClient({ hostMap: HostMap.parse(['mirror.example.com:127.0.0.1:5000']) });
 * const session = await client.ping('mirror.example.com', { insecure: true, repository: 'mirror.example.com/lib/hello' });
 * const m = await client.getManifest(session, 'lib/hello', 'v1');
 * console.log(m.digest, m.mediaType);
 * await client.close();
 */
import type { AttemptStep } from './step.ts';
import type { ErrorClass } from './error-class.ts';
import { createDispatcherFactory, type DispatcherFactory } from './dispatcher-factory.ts';
import type { HostMap } from './host-map.ts';
import { CredentialStore, CredentialLookupError, type CredentialLookup, type Credentials } from './credential-store.ts';
import { findCertDir, loadTlsMaterial, type CertDirOptions, type TlsMaterial } from './certs-d.ts';
import { TokenCache, authorization } from './token-auth.ts';
import { Redactor, redactUrl } from './redact.ts';
import { pingResponseError, registryResponseError, type ErrorWordingStyle } from './http-error.ts';
import { goNetworkError } from './network-error.ts';
import { header, type HttpRequest, type HttpResponse } from './transport.ts';
import { exchangeFollowing, HopError, RedirectLimitError } from './redirects.ts';
import { parseWwwAuthenticate, type Challenge } from './www-authenticate.ts';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, digestLike, sha256Digest, simplifyContentType } from './manifest.ts';
import { RegistryError } from './registry-error.ts';
import { retrying429, type Retry429Options } from './retry-429.ts';

export interface RegistryClientOptions {
  /** Where every undici dispatcher comes from. Default: `createDispatcherFactory({ hostMap })`. */
  dispatchers?: DispatcherFactory;
  hostMap?: HostMap;
  /** auth.json credentials; default none (anonymous). */
  credentials?: CredentialStore;
  /** `--tls-verify`: false makes every endpoint insecure, true makes none insecure, undefined keeps each endpoint's flag. */
  tlsVerify?: boolean;
  certs?: CertDirOptions;
  tokenCache?: TokenCache;
  redactor?: Redactor;
  errorStyle?: ErrorWordingStyle;
  retry429?: Partial<Retry429Options>;
  userAgent?: string;
  now?: () => number;
  /** How long a host's certs.d reading is reused, ms. Default 1000; 0 reads it at every ping, as the runtime does. */
  certsCacheMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Epoch ms after which no 429 retry is started (the attempt's deadline). */
  deadline?: number;
  /** Steps are appended here. */
  steps?: AttemptStep[];
}

/** What a successful ping established; later calls on this endpoint reuse it (the runtime's per-attempt client). */
export interface Session {
  /** The host as in the physical reference (`docker.io`, `mirror.example.com:5000`). */
  host: string;
  /** The host dialled (`registry-1.docker.io` for docker.io). */
  registry: string;
  scheme: 'https' | 'http';
  insecure: boolean;
  tls: TlsMaterial | null;
  credentials: Credentials | null;
  challenges: Challenge[];
}

export interface ManifestResult {
  body: Buffer;
  mediaType: string;
  /** Digest of the exact bytes (algorithm of `expectedDigest` when given). */
  digest: string;
  /** `Docker-Content-Digest` as sent, if any. */
  headerDigest: string | null;
  status: number;
}

export interface HeadResult {
  status: number;
  present: boolean;
  digest: string | null;
  mediaType: string | null;
  size: number | null;
}

export interface BlobRangeResult {
  status: number;
  /** 200 or 206. */
  present: boolean;
  /** true: 206 (Range honoured); false: 200 with the whole blob offered (reading stopped after 1 byte); null when not present. */
  rangeHonoured: boolean | null;
  digest: string | null;
  /** The byte read (at most 1). */
  bytes: Buffer;
}

/** A whole blob read into memory (small blobs only: signatures, configs). */
export interface BlobResult {
  body: Buffer;
  status: number;
}

export interface RegistryClient {
  /**
   * ping. `credentials`: the lookup already made for this attempt (else it is made here); `logicalHost`: the
   * host of the reference as asked for (--creds apply only on that host).
   */
  ping(host: string, opts: CallOptions & { insecure: boolean; repository: string; logicalHost?: string | null; credentials?: CredentialLookup }): Promise<Session>;
  /** The credentials for a physical repository `host/path` (auth files, helpers, flags), with where they came from. */
  lookupCredentials(repository: string, opts?: { logicalHost?: string | null }): Promise<CredentialLookup>;
  getManifest(session: Session, path: string, tagOrDigest: string, opts?: CallOptions): Promise<ManifestResult>;
  headManifest(session: Session, path: string, tagOrDigest: string, opts?: CallOptions): Promise<HeadResult>;
  headBlob(session: Session, path: string, digest: string, opts?: CallOptions): Promise<HeadResult>;
  /** GET of the blob's first byte (`Range: bytes=0-0`): 206 or 200 count as served; at most 1 byte is read. */
  getBlobRange(session: Session, path: string, digest: string, opts?: CallOptions): Promise<BlobRangeResult>;
  /**
   * GET of a whole small blob (sigstore attachment payloads), at most `maxBytes` (the runtime's iolimits), as
   * containers/image's dockerClient.getBlob + iolimits.ReadAtMost: `fetching blob: …` for a non-200,
   * `reading blob D in NAME: exceeded maximum allowed size of N bytes` past the limit. The digest is the caller's to check.
   */
  getBlob(session: Session, path: string, digest: string, opts: CallOptions & { maxBytes: number }): Promise<BlobResult>;
  readonly redactor: Redactor;
  /** auth.json credentials for a repository name (`host/path`); containerd attempts ask per host. Optional for test fakes. */
  credentialsFor?(repoName: string): Promise<Credentials | null>;
  /** The dispatchers this client dials through (host map, TLS): lookaside signature stores are read with them. */
  readonly dispatchers: DispatcherFactory;
  close(): Promise<void>;
}

/** The runtime dials registry-1.docker.io for docker.io. */
export function registryHostFor(host: string): string {
  return host === 'docker.io' ? 'registry-1.docker.io' : host;
}

/** The wider scope of a Bearer `insufficient_scope` challenge, when the session uses bearer tokens. */
function insufficientScope(res: HttpResponse, session: Session): string | null {
  if (!session.challenges.some((c) => c.scheme === 'bearer')) return null;
  const ch = parseWwwAuthenticate(res.headers['www-authenticate']).find((c) => c.scheme === 'bearer' && c.params.error === 'insufficient_scope');
  return ch?.params.scope ?? null;
}

/** Go's url.Error Op for a method: `Get`, `Head`, `Post`. */
function goMethodName(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

function looksLikeHtml(res: HttpResponse): boolean {
  return /text\/html/i.test(header(res.headers, 'content-type') ?? '');
}

type SessionBase = Omit<Session, 'scheme' | 'challenges'>;

/**
 * A Session as one literal. Not `{ ...base, scheme, challenges }`: V8 (Node 20) gives every object literal that
 * starts with a spread and then adds keys a map of its own, and a session lives as long as its pull.
 */
function sessionOf(b: SessionBase, scheme: Session['scheme'], challenges: Challenge[]): Session {
  return { host: b.host, registry: b.registry, scheme, insecure: b.insecure, tls: b.tls, credentials: b.credentials, challenges };
}

export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const ownDispatchers = options.dispatchers === undefined;
  const dispatchers = options.dispatchers ?? createDispatcherFactory(options.hostMap ? { hostMap: options.hostMap } : {});
  const credentials = options.credentials ?? CredentialStore.empty();
  const tokenCache = options.tokenCache ?? new TokenCache(options.now);
  const redactor = options.redactor ?? new Redactor();
  const style = options.errorStyle ?? 'skopeo-1.9';
  const userAgent = options.userAgent ?? 'pullpath/0.1.0';
  const now = options.now ?? Date.now;

  const NO_AUTH: Record<string, string> = {};
  const NO_EXTRA: Record<string, string | string[]> = {};
  const MANIFEST_EXTRA: Record<string, string | string[]> = { accept: [...MANIFEST_ACCEPT] };
  // Header objects shared by every request without credentials (undici only reads them).
  const baseHeaders: Record<string, string | string[]> = { 'user-agent': userAgent, 'docker-distribution-api-version': 'registry/2.0' };
  const manifestHeadHeaders = Object.assign({}, baseHeaders, MANIFEST_EXTRA);
  const rangeHeaders = Object.assign({}, baseHeaders, { range: 'bytes=0-0' });

  /** One request with 429 retries; network failures become RegistryError with Go's wording (no prefix). */
  async function send(req: HttpRequest, opts: CallOptions, notes: string[]): Promise<HttpResponse> {
    try {
      const first = await exchangeFollowing(dispatchers, req, notes);
      if (first.status !== 429) return first; // no 429 wrapper (options, closure) for the common case
      let tries = 0;
      return await retrying429(() => (tries++ === 0 ? Promise.resolve(first) : exchangeFollowing(dispatchers, req, notes)), { ...options.retry429, now, deadline: opts.deadline, signal: opts.signal, notes });
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      if (err instanceof RedirectLimitError) {
        const msg = `${goMethodName(err.method)} ${JSON.stringify(redactUrl(err.location))}: ${err.message}`;
        throw new RegistryError(redactor.text(msg), 'http-error', null);
      }
      // Go's url.Error names the URL of the hop that failed.
      const hopUrl = err instanceof HopError ? err.url : req.url;
      const cause = err instanceof HopError ? err.cause : err;
      const g = goNetworkError(cause, { method: req.method, url: redactedUrl(hopUrl), style, ...(opts.signal ? { signal: opts.signal } : {}) });
      if (g.hint) notes.push(g.hint);
      throw new RegistryError(redactor.text(g.message), g.errorClass, null);
    }
  }

  /**
   * certs.d material per host, read at most once per `certsCacheMs`. The runtime reads the directory at every
   * attempt; the answer is the same, and thousands of pulls a second would otherwise queue their pings behind
   * file-system calls (and their ENOENT errors) in libuv's thread pool. Concurrent pings share one read.
   */
  const certsCacheMs = options.certsCacheMs ?? 1000;
  const certsCache = new Map<string, { until: number; material: Promise<TlsMaterial> }>();
  function certsFor(host: string): Promise<TlsMaterial> {
    const t = performance.now();
    const hit = certsCache.get(host);
    if (hit && hit.until > t) return hit.material;
    const material = findCertDir(host, options.certs).then(loadTlsMaterial);
    if (certsCache.size >= 1024) certsCache.clear();
    certsCache.set(host, { until: t + certsCacheMs, material });
    return material;
  }

  /** redactUrl of the client's own URLs, memoised (bounded): the same URLs recur on every request. */
  const redactedUrls = new Map<string, string>();
  const redactedUrl = (url: string): string => {
    let r = redactedUrls.get(url);
    if (r === undefined) {
      r = redactUrl(url);
      if (redactedUrls.size >= 1024) redactedUrls.clear();
      redactedUrls.set(url, r);
    }
    return r;
  };

  /** A failed manifest GET: its step, then the RegistryError (a client-level function: no closure per call). */
  function manifestFail(opts: CallOptions, url: string, started: number, notes: string[], message: string, errorClass: ErrorClass, status: number | null): never {
    step(opts, { step: 'manifest', ok: false, url, method: 'GET', httpStatus: status, durationMs: performance.now() - started, error: message, errorClass, ...(notes.length ? { detail: notes.join('; ') } : {}) });
    throw new RegistryError(redactor.text(message), errorClass, status);
  }

  function step(opts: CallOptions, s: AttemptStep): void {
    if (!opts.steps) return;
    // `s` is always a fresh literal from this file: finish it in place (no copy, no per-object map).
    if (s.url) s.url = redactedUrl(s.url);
    s.durationMs = Math.round(s.durationMs * 10) / 10;
    if (s.error) s.error = redactor.text(s.error);
    opts.steps.push(s);
  }

  async function pingScheme(session: SessionBase, scheme: 'https' | 'http', opts: CallOptions): Promise<{ challenges: Challenge[]; res: HttpResponse }> {
    const url = `${scheme}://${session.registry}/v2/`;
    const started = performance.now();
    const notes: string[] = [];
    let res: HttpResponse;
    try {
      res = await send({ method: 'GET', url, headers: baseHeaders, insecure: session.insecure, tls: session.tls, ...(opts.signal ? { signal: opts.signal } : {}) }, opts, notes);
    } catch (err) {
      const e = err as RegistryError;
      step(opts, { step: 'ping', ok: false, url, method: 'GET', httpStatus: null, durationMs: performance.now() - started, error: e.message, errorClass: e.errorClass, ...(notes.length ? { detail: notes.join('; ') } : {}) });
      throw e;
    }
    if (res.status !== 200 && res.status !== 401) {
      const r = pingResponseError(res.status);
      // A web page where the API should be is not a registry; a 5xx page from a proxy is still a server error.
      const errorClass: ErrorClass = looksLikeHtml(res) && res.status < 500 && res.status !== 407 ? 'not-a-registry' : r.errorClass;
      step(opts, { step: 'ping', ok: false, url, method: 'GET', httpStatus: res.status, durationMs: performance.now() - started, error: r.message, errorClass, ...(notes.length ? { detail: notes.join('; ') } : {}) });
      throw new RegistryError(redactor.text(r.message), errorClass, res.status);
    }
    if (!header(res.headers, 'docker-distribution-api-version')) notes.push('no Docker-Distribution-API-Version header (the runtime accepts this; a proxy or web page may be answering)');
    if (looksLikeHtml(res)) notes.push('answered with an HTML page (the runtime accepts any 200)');
    const challenges = parseWwwAuthenticate(res.headers['www-authenticate']);
    if (challenges.length) notes.push(`challenges: ${challenges.map((c) => c.scheme).join(', ')}`);
    step(opts, { step: 'ping', ok: true, url, method: 'GET', httpStatus: res.status, durationMs: performance.now() - started, ...(notes.length ? { detail: notes.join('; ') } : {}) });
    return { challenges, res };
  }

  async function authHeaders(session: Session, path: string, opts: CallOptions, extraScopes: string[] = []): Promise<Record<string, string>> {
    if (session.challenges.length === 0) return NO_AUTH; // `authorization` answers null without a challenge
    const value = await authorization(
      {
        dispatchers,
        insecure: session.insecure,
        tls: session.tls,
        challenges: session.challenges,
        credentials: session.credentials,
        tokenCache,
        redactor,
        style,
        userAgent,
        now,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.steps ? { steps: opts.steps } : {}),
      },
      `repository:${path}:pull`,
      extraScopes,
    );
    return value ? { authorization: value } : {};
  }

  return {
    redactor,
    dispatchers,
    credentialsFor: async (repoName) => (await credentials.lookup(repoName)).credentials,

    lookupCredentials(repository, o = {}) {
      return credentials.lookup(repository, o);
    },

    async ping(host, opts) {
      const registry = registryHostFor(host);
      const insecure = options.tlsVerify === false ? true : options.tlsVerify === true ? false : opts.insecure;
      let tls: TlsMaterial | null = null;
      try {
        tls = await certsFor(host);
      } catch (err) {
        const msg = (err as Error).message;
        step(opts, { step: 'ping', ok: false, durationMs: 0, error: msg, errorClass: 'tls', detail: 'certs.d setup failed before any request' });
        throw new RegistryError(msg, 'tls');
      }
      let creds: Credentials | null;
      try {
        creds = (opts.credentials ?? (await credentials.lookup(opts.repository, { logicalHost: opts.logicalHost ?? null }))).credentials;
      } catch (err) {
        if (!(err instanceof CredentialLookupError)) throw err;
        // As newDockerClientFromRef: the attempt fails before any request.
        throw new RegistryError(err.message, 'credentials');
      }
      const base: SessionBase = { host, registry, insecure, tls: tls && (tls.ca.length || tls.cert) ? tls : null, credentials: creds };
      try {
        const { challenges } = await pingScheme(base, 'https', opts);
        return sessionOf(base, 'https', challenges);
      } catch (httpsErr) {
        if (!insecure || opts.signal?.aborted) {
          throw new RegistryError(`pinging container registry ${registry}: ${(httpsErr as RegistryError).message}`, (httpsErr as RegistryError).errorClass, (httpsErr as RegistryError).httpStatus);
        }
        const last = opts.steps?.[opts.steps.length - 1];
        if (last) last.detail = [last.detail, 'insecure endpoint: falling back to plain http'].filter(Boolean).join('; ');
        try {
          const { challenges } = await pingScheme(base, 'http', opts);
          return sessionOf(base, 'http', challenges);
        } catch (httpErr) {
          // The http error replaces the https one, as in the runtime.
          const e = httpErr as RegistryError;
          throw new RegistryError(`pinging container registry ${registry}: ${e.message}`, e.errorClass, e.httpStatus);
        }
      }
    },

    async getManifest(session, path, tagOrDigest, opts = {}) {
      const url = `${session.scheme}://${session.registry}/v2/${path}/manifests/${tagOrDigest}`;
      const auth = await authHeaders(session, path, opts);
      const started = performance.now();
      const notes: string[] = [];
      let res: HttpResponse;
      try {
        res = await send({ method: 'GET', url, headers: auth === NO_AUTH ? manifestHeadHeaders : Object.assign({}, manifestHeadHeaders, auth), insecure: session.insecure, tls: session.tls, maxBodyBytes: MAX_MANIFEST_BYTES, ...(opts.signal ? { signal: opts.signal } : {}) }, opts, notes);
      } catch (err) {
        return manifestFail(opts, url, started, notes, (err as RegistryError).message, (err as RegistryError).errorClass, null);
      }
      const name = `${session.host}/${path}`;
      const wider = res.status === 401 ? insufficientScope(res, session) : null;
      if (wider) {
        // As the runtime (needsRetryWithUpdatedScope): one retry with a token that also has the scope asked for.
        notes.push(`401 insufficient_scope: retried once with scope ${wider}`);
        try {
          const retryAuth = await authHeaders(session, path, opts, [wider]);
          res = await send({ method: 'GET', url, headers: Object.assign({}, manifestHeadHeaders, retryAuth), insecure: session.insecure, tls: session.tls, maxBodyBytes: MAX_MANIFEST_BYTES, ...(opts.signal ? { signal: opts.signal } : {}) }, opts, notes);
        } catch (err) {
          return manifestFail(opts, url, started, notes, (err as RegistryError).message, (err as RegistryError).errorClass, null);
        }
      }
      if (res.status !== 200) {
        const r = registryResponseError(res.status, res.body, parseWwwAuthenticate(res.headers['www-authenticate']), style);
        return manifestFail(opts, url, started, notes, `reading manifest ${tagOrDigest} in ${name}: ${r.message}`, looksLikeHtml(res) && res.status !== 404 && res.status !== 407 && res.status < 500 ? 'not-a-registry' : r.errorClass, res.status);
      }
      if (res.tooLarge) return manifestFail(opts, url, started, notes, `exceeded maximum allowed size of ${MAX_MANIFEST_BYTES} bytes`, 'too-large', 200);
      const mediaType = simplifyContentType(header(res.headers, 'content-type'));
      const headerDigest = header(res.headers, 'docker-content-digest') ?? null;
      const digest = tagOrDigest.includes(':') ? digestLike(tagOrDigest, res.body) : sha256Digest(res.body);
      step(opts, { step: 'manifest', ok: true, url, method: 'GET', httpStatus: 200, durationMs: performance.now() - started, detail: [`${mediaType || 'no Content-Type'}, ${res.body.length} bytes, ${digest}`, ...notes].join('; ') });
      return { body: res.body, mediaType, digest, headerDigest, status: 200 };
    },

    async headManifest(session, path, tagOrDigest, opts = {}) {
      const url = `${session.scheme}://${session.registry}/v2/${path}/manifests/${tagOrDigest}`;
      return head(session, path, url, 'manifest', MANIFEST_EXTRA, opts);
    },

    async headBlob(session, path, digest, opts = {}) {
      const url = `${session.scheme}://${session.registry}/v2/${path}/blobs/${digest}`;
      return head(session, path, url, 'blobs', NO_EXTRA, opts);
    },

    async getBlobRange(session, path, digest, opts = {}) {
      const url = `${session.scheme}://${session.registry}/v2/${path}/blobs/${digest}`;
      const auth = await authHeaders(session, path, opts);
      const started = performance.now();
      const notes: string[] = [];
      const headers = auth === NO_AUTH ? rangeHeaders : Object.assign({}, rangeHeaders, auth);
      let res: HttpResponse;
      try {
        res = await send({ method: 'GET', url, headers, insecure: session.insecure, tls: session.tls, maxBodyBytes: 1, ...(opts.signal ? { signal: opts.signal } : {}) }, opts, notes);
      } catch (err) {
        const e = err as RegistryError;
        step(opts, { step: 'blobs', ok: false, url, method: 'GET', httpStatus: null, durationMs: performance.now() - started, error: e.message, errorClass: e.errorClass, ...(notes.length ? { detail: notes.join('; ') } : {}) });
        throw e;
      }
      const present = res.status === 200 || res.status === 206;
      const rangeHonoured = res.status === 206;
      if (present) notes.unshift(rangeHonoured ? 'Range honoured: 206, 1 byte read' : 'Range ignored: 200 (the whole blob was offered; reading stopped after 1 byte)');
      step(opts, { step: 'blobs', ok: present, url, method: 'GET', httpStatus: res.status, durationMs: performance.now() - started, ...(present ? {} : { errorClass: res.status === 404 ? 'not-found' : res.status === 401 ? 'unauthorized' : 'http-error' }), ...(notes.length ? { detail: notes.join('; ') } : {}) });
      return {
        status: res.status,
        present,
        rangeHonoured: present ? rangeHonoured : null,
        digest: header(res.headers, 'docker-content-digest') ?? null,
        bytes: present ? res.body : Buffer.alloc(0),
      };
    },

    async getBlob(session, path, digest, opts) {
      const url = `${session.scheme}://${session.registry}/v2/${path}/blobs/${digest}`;
      const auth = await authHeaders(session, path, opts);
      const started = performance.now();
      const notes: string[] = [];
      let res: HttpResponse;
      const fail = (message: string, errorClass: ErrorClass, status: number | null): never => {
        step(opts, { step: 'blobs', ok: false, url, method: 'GET', httpStatus: status, durationMs: performance.now() - started, error: message, errorClass, ...(notes.length ? { detail: notes.join('; ') } : {}) });
        throw new RegistryError(redactor.text(message), errorClass, status);
      };
      try {
        // One byte past the limit tells "exactly at the limit" from "over it" (iolimits.ReadAtMost).
        res = await send({ method: 'GET', url, headers: auth === NO_AUTH ? baseHeaders : Object.assign({}, baseHeaders, auth), insecure: session.insecure, tls: session.tls, maxBodyBytes: opts.maxBytes + 1, ...(opts.signal ? { signal: opts.signal } : {}) }, opts, notes);
      } catch (err) {
        return fail((err as RegistryError).message, (err as RegistryError).errorClass, null);
      }
      if (res.status !== 200) {
        const r = registryResponseError(res.status, res.body, parseWwwAuthenticate(res.headers['www-authenticate']), style);
        return fail(`fetching blob: ${r.message}`, r.errorClass, res.status);
      }
      if (res.tooLarge || res.body.length > opts.maxBytes) return fail(`reading blob ${digest} in ${session.host}/${path}: exceeded maximum allowed size of ${opts.maxBytes} bytes`, 'too-large', 200);
      step(opts, { step: 'blobs', ok: true, url, method: 'GET', httpStatus: 200, durationMs: performance.now() - started, detail: [`${res.body.length} bytes`, ...notes].join('; ') });
      return { body: res.body, status: 200 };
    },

    async close() {
      // Helpers an attempt gave up on (deadline) would otherwise keep the process alive until their own timeout.
      credentials.close();
      if (ownDispatchers) await dispatchers.close();
    },
  };

  async function head(session: Session, path: string, url: string, stepName: 'manifest' | 'blobs', extra: Record<string, string | string[]>, opts: CallOptions): Promise<HeadResult> {
    const auth = await authHeaders(session, path, opts);
    const started = performance.now();
    const notes: string[] = [];
    const headers = auth === NO_AUTH ? (extra === MANIFEST_EXTRA ? manifestHeadHeaders : extra === NO_EXTRA ? baseHeaders : Object.assign({}, baseHeaders, extra)) : Object.assign({}, baseHeaders, extra, auth);
    const base = { headers, insecure: session.insecure, tls: session.tls, ...(opts.signal ? { signal: opts.signal } : {}) };
    let res = await send({ method: 'HEAD', url, ...base }, opts, notes);
    let method = 'HEAD';
    if (res.status === 405 || res.status === 501) {
      // Some registries do not implement HEAD: ask for one byte instead.
      method = 'GET';
      res = await send({ method: 'GET', url, ...base, headers: Object.assign({}, base.headers, { range: 'bytes=0-0' }), maxBodyBytes: 1 }, opts, notes);
      notes.push('HEAD not supported: used a 1-byte ranged GET');
    }
    const present = res.status === 200 || res.status === 206;
    const size = Number(header(res.headers, 'content-length'));
    step(opts, { step: stepName, ok: present, url, method, httpStatus: res.status, durationMs: performance.now() - started, ...(present ? {} : { errorClass: res.status === 404 ? 'not-found' : res.status === 401 ? 'unauthorized' : 'http-error' }), ...(notes.length ? { detail: notes.join('; ') } : {}) });
    return {
      status: res.status,
      present,
      digest: header(res.headers, 'docker-content-digest') ?? null,
      mediaType: simplifyContentType(header(res.headers, 'content-type')) || null,
      size: Number.isFinite(size) && method === 'HEAD' ? size : null,
    };
  }
}
