/**
 * resolveContainerd: the hosts containerd tries for a reference, as a Resolution (the same type containers/image
 * resolution produces, `runtime: 'containerd'`). Pure and fast: the setup is decoded once; each call is a few map
 * lookups.
 *
 * Rules (containerd 1.6.20 remotes/docker/config ConfigureHosts + remotes/docker resolver):
 * - the host directory is found as host-dirs.ts says; no directory → the registry itself;
 * - a directory whose hosts.toml is absent, empty or ignored → the registry itself (with the directory's
 *   Docker-style certificate files);
 * - `[host]` tables in order, then `server`; without `server` (or when it parses to an empty host) the last entry
 *   becomes the registry itself: docker.io → https://registry-1.docker.io/v2, a loopback host → http with
 *   verification skipped (1.6; 1.7/2.x: https for no port or 443, else http, skip_verify unless port 80), others
 *   https; its capabilities are all of them and its path /v2 whatever the root table says;
 * - resolving a tag uses the hosts with both `pull` and `resolve`, a digest the hosts with `pull`;
 * - `?ns=<registry>` goes to every host other than the registry (registry-1.docker.io counts as docker.io).
 */
import type { ContainerdCapability, ContainerdCompat, ContainerdEndpoint } from './endpoint.ts';
import type { HostEntry } from './hosts-file.ts';
import { problemOrigin, type ContainerdSetup, type HostDirEntry } from './setup.ts';
import { findHostDir } from './host-dirs.ts';
import { goParseUrl, goPort, isLocalhost } from './go-url.ts';
import { tryParseNormalizedNamed } from '../reference/index.ts';
import type { MatchedRegistry, PullSource, Resolution, SkippedMirror } from '../resolve/resolution.ts';

/** A host after ConfigureHosts: an endpoint, or the reason containerd cannot use it. */
interface Candidate {
  entry: { scheme: string; host: string; path: string; capabilities: string[] };
  endpoint: ContainerdEndpoint | null;
  unusable: string | null;
  origin: string | undefined;
  label: string;
}

const ALL_CAPS: ContainerdCapability[] = ['pull', 'resolve', 'push'];

/** containerd's isProxy: a host other than the reference's registry (registry-1.docker.io is docker.io). */
export function nsFor(refHost: string, host: string): string | null {
  if (refHost === host) return null;
  if (refHost === 'docker.io' && host === 'registry-1.docker.io') return null;
  return refHost;
}

/** Fills the last entry when its host is empty: the registry itself (ConfigureHosts' default host). */
function fillDefault(hosts: HostEntry[], refHost: string, compat: ContainerdCompat): void {
  const last = hosts[hosts.length - 1];
  if (last === undefined || last.host !== '') return;
  if (refHost === 'docker.io') {
    last.scheme = 'https';
    last.host = 'registry-1.docker.io';
  } else if (isLocalhost(refHost)) {
    last.host = refHost;
    if (compat === '1.6') {
      last.scheme = 'http';
      last.skipVerify = true;
    } else {
      const port = goPort(refHost);
      last.scheme = port === '' || port === '443' ? 'https' : 'http';
      if (port !== '80') last.skipVerify = true;
    }
  } else {
    last.host = refHost;
    last.scheme = 'https';
  }
  last.path = '/v2';
  last.capabilities = compat === '2.x' ? ['pull', 'resolve', 'push', 'referrers'] : ['pull', 'resolve', 'push'];
}

function defaultEntry(certFiles: HostDirEntry['certFiles'] | null): HostEntry {
  return {
    key: null,
    scheme: '',
    host: '',
    path: '',
    capabilities: [],
    skipVerify: null,
    caFiles: certFiles && certFiles.ca.length > 0 ? certFiles.ca : null,
    clientPairs: certFiles && certFiles.client.length > 0 ? certFiles.client : null,
    headers: null,
    dialTimeoutMs: null,
    line: 0,
  };
}

function toCandidate(h: HostEntry, refHost: string, isServer: boolean, compat: ContainerdCompat, origin: string | undefined, extraHeaders: Record<string, string[]>): Candidate {
  let scheme = h.scheme;
  let httpFallback = false;
  const explicitTls = h.caFiles !== null || h.clientPairs !== null || h.skipVerify !== null;
  if (compat !== '1.6' && scheme === 'http' && explicitTls && goPort(h.host) !== '80') {
    scheme = 'https';
    httpFallback = true;
  }
  const label = h.key !== null ? `[host."${h.key}"]` : isServer && h.line > 0 ? 'server' : 'the registry itself';
  const caps = h.capabilities.filter((c): c is ContainerdCapability => c === 'pull' || c === 'resolve' || c === 'push');
  const entry = { scheme, host: h.host, path: h.path, capabilities: h.capabilities as string[] };
  if (scheme !== 'http' && scheme !== 'https') {
    return { entry, endpoint: null, unusable: `scheme "${scheme}" is not http or https: containerd tries it and fails (unsupported protocol scheme)`, origin, label };
  }
  if (h.host === '') {
    return { entry, endpoint: null, unusable: 'the URL has no host: containerd tries it and fails (no Host in request URL)', origin, label };
  }
  const headers: Record<string, string[]> = { ...extraHeaders };
  for (const [k, v] of Object.entries(h.headers ?? {})) headers[k] = v;
  const endpoint: ContainerdEndpoint = {
    scheme,
    host: h.host,
    path: h.path,
    capabilities: caps,
    skipVerify: h.skipVerify === true,
    caFiles: h.caFiles ?? [],
    clientCerts: h.clientPairs ?? [],
    headers,
    ns: nsFor(refHost, h.host),
    dialTimeoutMs: h.dialTimeoutMs,
    isServer,
    ...(httpFallback ? { httpFallback: true } : {}),
  };
  return { entry, endpoint, unusable: null, origin, label };
}

/** A `ca`/`client` file that a directory listing shows is missing: containerd's error, or null. */
function missingFileError(setup: ContainerdSetup, hosts: HostEntry[]): string | null {
  if (setup.listings.size === 0) return null;
  const missing = (f: string): boolean => {
    const slash = f.lastIndexOf('/');
    const listing = setup.listings.get(f.slice(0, slash));
    return listing !== undefined && !listing.has(f.slice(slash + 1));
  };
  for (const h of hosts) {
    for (const f of h.caFiles ?? []) if (missing(f)) return `unable to read CA cert ${JSON.stringify(f)}: open ${f}: no such file or directory`;
    for (const p of h.clientPairs ?? []) {
      for (const f of [p.cert, p.key]) if (f !== null && missing(f)) return `unable to read CERT file ${JSON.stringify(f)}: open ${f}: no such file or directory`;
    }
  }
  return null;
}

/** The hosts for `refHost` from the hosts directories. */
function hostsFromDirs(setup: ContainerdSetup, refHost: string, notes: string[]): { candidates: Candidate[]; dir: HostDirEntry | null; error: string | null } {
  const found = findHostDir(refHost, setup.dirs.length, (root, name) => setup.dirs[root]!.has(name));
  const dir = found ? setup.dirs[found.root]!.get(found.name)! : null;
  let hosts: HostEntry[];
  if (dir === null) {
    hosts = [defaultEntry(null)];
    if (setup.roots.length > 0) notes.push(`no hosts directory for ${refHost} (nor _default) in ${setup.roots.join(':')}: the registry itself`);
  } else if (dir.hosts === null) {
    hosts = [defaultEntry(dir.certFiles)];
    if (dir.problem) notes.push(`${problemOrigin(dir.problem)}: containerd ignores this file (${dir.problem.crash ? 'it crashes ctr' : 'failed to decode hosts.toml'}: ${dir.problem.message}) and uses the registry itself`);
    else notes.push(`${dir.dirPath} has no hosts.toml${dir.exists ? ' (empty)' : ''}: the registry itself${dir.certFiles.ca.length + dir.certFiles.client.length > 0 ? ', with the directory\'s certificate files' : ''}`);
  } else {
    // Copies: fillDefault writes into the last entry.
    hosts = dir.hosts.map((h) => ({ ...h }));
  }
  if (dir !== null && dir.name === '_default' && refHost !== '_default') notes.push(`${dir.dirPath}: _default applies (no ${refHost} directory)`);
  fillDefault(hosts, refHost, setup.compat);
  // ctr and containerd 1.6/1.7 panic on two non-table values under [host]: the pull does not happen at all.
  const error = dir?.problem?.crash ? `containerd panics reading ${dir.problem.file}: ${dir.problem.message}` : missingFileError(setup, hosts);
  const candidates = hosts.map((h, i) => {
    const isLast = i === hosts.length - 1;
    const origin = dir === null ? undefined : dir.hosts === null ? dir.file : `${dir.file}:${h.line || 1}`;
    return toCandidate(h, refHost, isLast && h.key === null, setup.compat, origin, {});
  });
  return { candidates, dir, error };
}

/** The hosts for `refHost` from config.toml's deprecated inline mirrors (CRI registryEndpoints/registryHosts). */
function hostsFromInline(setup: ContainerdSetup, refHost: string): { candidates: Candidate[]; error: string | null } {
  const cfg = setup.config!;
  const mirror = cfg.mirrors[refHost] ?? cfg.mirrors['*'];
  const defaultHost = refHost === 'docker.io' ? 'registry-1.docker.io' : refHost;
  const defaultScheme = (h: string): string => (isLocalhost(h) ? 'http' : 'https');
  const endpoints: Array<{ url: string; origin: string | undefined }> = [];
  for (const e of mirror?.endpoints ?? []) {
    let url = e;
    if (!e.includes('://')) {
      const u = goParseUrl(`dummy://${e}`);
      if (!u.ok) return { candidates: [], error: `get registry endpoints: parse endpoint url: ${u.error}` };
      url = `${defaultScheme(u.url.host)}://${e}`;
    }
    endpoints.push({ url, origin: mirror!.origin });
  }
  let hasDefault = false;
  for (const e of endpoints) {
    const u = goParseUrl(e.url);
    if (!u.ok) return { candidates: [], error: `get registry endpoints: parse endpoint url: ${u.error}` };
    if (u.url.host === refHost) hasDefault = true;
  }
  if (!hasDefault) endpoints.push({ url: `${defaultScheme(defaultHost)}://${defaultHost}`, origin: undefined });
  const candidates: Candidate[] = [];
  endpoints.forEach((e, i) => {
    const u = goParseUrl(e.url);
    if (!u.ok) return;
    const tls = cfg.tls[u.url.host];
    const h: HostEntry = {
      key: null,
      scheme: u.url.scheme,
      host: u.url.host,
      path: u.url.path === '' ? '/v2' : u.url.path,
      capabilities: ['pull', 'resolve'],
      skipVerify: tls ? tls.insecureSkipVerify : isLocalhost(refHost) && u.url.scheme === 'http' ? true : null,
      caFiles: tls && tls.caFile !== '' ? [tls.caFile] : null,
      clientPairs: tls && tls.certFile !== '' ? [{ cert: tls.certFile, key: tls.keyFile || null }] : null,
      headers: null,
      dialTimeoutMs: null,
      line: 0,
    };
    const isLast = i === endpoints.length - 1 && e.origin === undefined;
    const c = toCandidate(h, refHost, isLast, '1.6', e.origin ?? cfg.registryOrigin, cfg.headers);
    c.label = isLast ? 'the registry itself' : `mirror endpoint ${e.url}`;
    candidates.push(c);
  });
  return { candidates, error: null };
}

/** Every host containerd configures for `refHost` (before the capability filter), for tests and lint. */
export function containerdHostList(setup: ContainerdSetup, refHost: string): { hosts: Array<{ scheme: string; host: string; path: string; capabilities: string[]; endpoint: ContainerdEndpoint | null }>; error: string | null } {
  const notes: string[] = [];
  const got = setup.mode === 'inline-mirrors' ? { ...hostsFromInline(setup, refHost), dir: null } : hostsFromDirs(setup, refHost, notes);
  return { hosts: got.candidates.map((c) => ({ ...c.entry, endpoint: c.endpoint })), error: got.error };
}

/**
 * The reference as containerd reads it: the docker grammar, plus a bracketed IPv6 registry (`[::1]:5000/a:1`),
 * which containerd's reference parser takes as the host and the docker grammar used here does not.
 */
function parseRef(raw: string): { ok: true; ref: { domain: string; path: string; tag: string | null; digest: string | null } } | { ok: false; error: string } {
  const ipv6 = raw.charCodeAt(0) === 91 /* [ */ ? /^(\[[0-9A-Fa-f:.]+\](?::\d+)?)\/(.*)$/.exec(raw) : null;
  if (ipv6) {
    const rest = tryParseNormalizedNamed(`ipv6.invalid/${ipv6[2]}`);
    if (!rest.ok) return rest;
    return { ok: true, ref: { domain: ipv6[1]!, path: rest.ref.path, tag: rest.ref.tag, digest: rest.ref.digest } };
  }
  const p = tryParseNormalizedNamed(raw);
  if (!p.ok) return p;
  return { ok: true, ref: { domain: p.ref.domain, path: p.ref.path, tag: p.ref.tag, digest: p.ref.digest } };
}

function refSuffix(tag: string | null, digest: string | null): string {
  if (digest !== null) return `@${digest}`;
  return `:${tag ?? 'latest'}`;
}

/**
 * Where containerd sends a pull of `ref`, in try order, with the hosts it leaves out and why. `ref` is a full
 * reference (`host/path:tag` or `@digest`); a short name is normalised as the CRI plugin does (docker.io/library/…,
 * `:latest`).
 */
export function resolveContainerd(setup: ContainerdSetup, ref: string): Resolution {
  const raw = ref.startsWith('docker://') ? ref.slice('docker://'.length) : ref;
  const parsed = parseRef(raw);
  if (!parsed.ok) return { ref, normalized: null, registry: null, sources: [], skipped: [], error: parsed.error, errorKind: 'parse', runtime: 'containerd' };
  const r = parsed.ref;
  // containerd resolves by digest when a reference carries both a tag and a digest.
  const suffix = refSuffix(r.tag, r.digest);
  const normalized = `${r.domain}/${r.path}${r.digest !== null ? (r.tag !== null ? `:${r.tag}` : '') + `@${r.digest}` : suffix}`;
  const plan = planFor(setup, r.domain);
  const out: Resolution = { ref, normalized, registry: plan.registry, sources: [], skipped: [], error: null, errorKind: null, runtime: 'containerd' };
  if (plan.error !== null) {
    out.error = plan.error;
    out.errorKind = 'config';
    if (plan.notes.length > 0) out.notes = [...plan.notes];
    return out;
  }
  const v = r.digest !== null ? plan.digest : plan.tag;
  const tail = `/${r.path}${suffix}`;
  const sources: PullSource[] = new Array(v.sources.length);
  for (let i = 0; i < v.sources.length; i++) {
    const t = v.sources[i]!;
    const src: PullSource = { location: t.location, insecure: t.insecure, reference: t.containerd!.host + tail, blocked: false, mirror: t.mirror, containerd: t.containerd! };
    if (t.why !== undefined) src.why = t.why;
    if (t.origin !== undefined) src.origin = t.origin;
    sources[i] = src;
  }
  out.sources = sources;
  out.skipped = [...v.skipped];
  if (v.sources.length === 0) {
    out.error = `failed to resolve reference "${normalized}": no resolve hosts: not found`;
    out.errorKind = 'config';
  }
  // After a tag resolves, containerd fetches by digest from every `pull` host in order (the digest variant's hosts).
  if (r.digest === null && plan.digest.sources.length > 0) {
    out.containerdFetchHosts = plan.fetchHosts;
  }
  const notes = v.fetchNote ? [...plan.notes, plan.fetchNote] : plan.notes;
  if (notes.length > 0) out.notes = notes === plan.notes ? [...notes] : notes;
  return out;
}

const FETCH_NOTE = 'after the tag resolves, containerd fetches the manifest by digest and the blobs from every host with "pull", in order';

/** What a reference to one registry host gets, for tags and for digests (all but the reference string). */
interface Variant {
  sources: PullSource[];
  skipped: SkippedMirror[];
  /** A tag resolution with a pull-only host: say that the fetches still use it. */
  fetchNote: boolean;
}

interface HostPlan {
  registry: MatchedRegistry | null;
  error: string | null;
  notes: string[];
  tag: Variant;
  digest: Variant;
  /** Every host with `pull`, in order: where containerd fetches content after a tag resolved. */
  fetchHosts: ContainerdEndpoint[];
  /** The note saying so, naming those hosts. */
  fetchNote: string;
}

/**
 * Plans per registry host, computed once per setup: everything but the reference's path depends on the host
 * alone, so a resolution is a parse, one map lookup and a few small objects (≥ 200,000/s at 10,000 directories).
 */
const plans = new WeakMap<ContainerdSetup, Map<string, HostPlan>>();

// The setup resolved last and its plans: a batch of references against one setup skips the WeakMap lookup.
let lastSetup: ContainerdSetup | null = null;
let lastPlans: Map<string, HostPlan> | null = null;

function planFor(setup: ContainerdSetup, refHost: string): HostPlan {
  let cache: Map<string, HostPlan> | undefined = setup === lastSetup ? lastPlans! : plans.get(setup);
  if (cache === undefined) {
    cache = new Map();
    plans.set(setup, cache);
  }
  lastSetup = setup;
  lastPlans = cache;
  let plan = cache.get(refHost);
  if (plan === undefined) {
    plan = buildPlan(setup, refHost);
    cache.set(refHost, plan);
  }
  return plan;
}

function buildPlan(setup: ContainerdSetup, refHost: string): HostPlan {
  const notes: string[] = [];
  const empty: Variant = { sources: [], skipped: [], fetchNote: false };
  const fail = (error: string, registry: MatchedRegistry | null = null): HostPlan => ({ registry, error, notes, tag: empty, digest: empty, fetchHosts: [], fetchNote: FETCH_NOTE });
  if (setup.error !== null) {
    notes.push(`${setup.config?.registryOrigin ?? ''}: ${setup.error}`);
    return fail(`the CRI plugin does not load: ${setup.error}`);
  }
  let candidates: Candidate[];
  let registry: MatchedRegistry | null = null;
  if (setup.mode === 'inline-mirrors') {
    const inline = hostsFromInline(setup, refHost);
    if (inline.error !== null) return fail(inline.error);
    candidates = inline.candidates;
    if (setup.config && Object.keys(setup.config.mirrors).length === 0) {
      notes.push(`${setup.config.file}: no config_path, so containerd ${setup.compat} reads no hosts.toml files: the registry itself`);
    }
  } else {
    const fromDirs = hostsFromDirs(setup, refHost, notes);
    if (fromDirs.dir !== null) {
      const d = fromDirs.dir;
      const first = d.hosts?.[0]?.line ?? 1;
      registry = { prefix: d.name, location: d.dirPath, insecure: false, blocked: false, mirrorByDigestOnly: false, origin: `${d.file}:${first || 1}` };
    }
    if (fromDirs.error !== null) return fail(fromDirs.error, registry);
    candidates = fromDirs.candidates;
  }
  const tag = variantFor(candidates, false);
  const digest = variantFor(candidates, true);
  const fetchHosts = digest.sources.map((s) => s.containerd!);
  const fetchNote = `${FETCH_NOTE}: ${fetchHosts.map((e) => `${e.scheme}://${e.host}${e.path}`).join(', ')}`;
  return { registry, error: null, notes, tag, digest, fetchHosts, fetchNote };
}

function variantFor(candidates: Candidate[], isDigest: boolean): Variant {
  const need: ContainerdCapability[] = isDigest ? ['pull'] : ['pull', 'resolve'];
  const sources: PullSource[] = [];
  const skipped: SkippedMirror[] = [];
  const hostTables = candidates.filter((x) => x.label.startsWith('[host.')).length;
  candidates.forEach((c, i) => {
    const location = `${c.entry.scheme}://${c.entry.host}${c.entry.path}`;
    if (c.endpoint === null) {
      skipped.push({ location, reason: c.unusable!, ...(c.origin ? { origin: c.origin } : {}) });
      return;
    }
    const ep = c.endpoint;
    const missing = need.filter((cap) => !ep.capabilities.includes(cap));
    if (missing.length > 0) {
      skipped.push({
        location,
        kind: 'capability',
        reason: `${c.label} has capabilities [${ep.capabilities.join(', ')}] without ${missing.map((m) => `"${m}"`).join(' and ')}: containerd does not resolve ${isDigest ? 'digests' : 'tags'} there${isDigest ? '' : ' (a digest reference would use it)'}`,
        ...(c.origin ? { origin: c.origin } : {}),
      });
      return;
    }
    const why = ep.isServer
      ? c.label === 'server'
        ? 'server (tried last)'
        : 'the registry itself (tried last)'
      : c.label.startsWith('[host.')
        ? `${c.label}, host ${i + 1} of ${hostTables} in file order`
        : c.label;
    sources.push({
      location,
      insecure: ep.skipVerify || ep.scheme === 'http' || ep.httpFallback === true,
      reference: '',
      blocked: false,
      mirror: !ep.isServer,
      why,
      ...(c.origin ? { origin: c.origin } : {}),
      containerd: ep,
    });
  });
  const fetchNote =
    !isDigest && sources.length > 0 && candidates.some((c) => c.endpoint !== null && !c.endpoint.capabilities.includes('resolve') && c.endpoint.capabilities.includes('pull'));
  return { sources, skipped, fetchNote };
}
