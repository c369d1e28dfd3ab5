/**
 * One registry as a function: MockRequest → HandlerResult (the answer plus the socket-level fault plan).
 * Order per request: fault rules (a proxy in front fails before the registry sees anything), then routing,
 * then authentication, then the route's answer. Stats are recorded here so every adapter counts alike.
 */
import type { FaultRule, MockRegistrySpec } from './spec.ts';
import type { HandlerResult, MockRequest, MockResponse } from './http-types.ts';
import type { MockClock } from './clock.ts';
import { matchRoute } from './routes.ts';
import { buildContent, type ContentSigning, type ImageCache, type RegistryContent } from './content-store.ts';
import type { MockSigningKeys } from './sigstore-sign.ts';
import { SIGNATURE_FAULTS } from './sigstore-sign.ts';
import { LOOKASIDE_PREFIX, type GpgSignatureBook } from './gpg-sign.ts';
import { createFaultEngine, type FaultEngine } from './faults.ts';
import { createAuth } from './auth.ts';
import { createStats, type MockRegistryStats } from './stats.ts';
import { registryError, routerNotFound } from './error-body.ts';
import { blobAnswer, catalogAnswer, manifestAnswer, pingAnswer, tagsAnswer } from './route-handlers.ts';

export interface RegistryHandler {
  handle(req: MockRequest): HandlerResult;
  stats(): MockRegistryStats;
  /** Replace the fault rules (counters restart; stale-tag variants are built when needed). */
  setFaults(rules: FaultRule[]): void;
  /** The current rules (refuse windows are read from here by the socket adapter). */
  faults(): FaultEngine;
}

export interface HandlerOptions {
  clock: MockClock;
  seed: number;
  /** Shared image build cache (see `startMockRegistries`). */
  cache?: ImageCache;
  /** Keys for images that are signed (`signatures = "sigstore"`). Without them, nothing is signed. */
  sigstore?: MockSigningKeys;
  /** GPG signatures signed at start (`signatures = "gpg"`, see gpg-sign.ts), served under /lookaside/. */
  gpg?: GpgSignatureBook;
}

const API_VERSION = 'registry/2.0';

/** `<repository>@sha256=<hex>/signature-1` → that image's GPG signature; anything else (signature-2, …) 404s. */
function lookasideAnswer(content: RegistryContent, rest: string): MockResponse {
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    return routerNotFound();
  }
  const m = /^(.+)\/signature-1$/.exec(path);
  const sig = m ? content.lookaside.get(m[1]!) : undefined;
  if (sig === undefined) return routerNotFound();
  return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(sig.length) }, body: Buffer.from(sig) };
}

/** Split `req.url` into path and query (adapters call this). */
export function splitPath(raw: string): [string, string] {
  const q = raw.indexOf('?');
  return q < 0 ? [raw, ''] : [raw.slice(0, q), raw.slice(q + 1)];
}

export function createRegistryHandler(spec: MockRegistrySpec, opts: HandlerOptions): RegistryHandler {
  const images = spec.images ?? [];
  let rules = spec.faults ?? [];
  const signing: ContentSigning | undefined =
    opts.sigstore || opts.gpg
      ? { host: spec.host, ...(opts.sigstore ? { keys: opts.sigstore } : {}), ...(opts.gpg ? { gpg: opts.gpg } : {}), ...(spec.signatures ? { registryDefault: spec.signatures } : {}) }
      : undefined;
  let content: RegistryContent = buildContent(images, rules, opts.cache, signing);
  let engine = createFaultEngine(rules, opts.seed);
  const auth = createAuth(spec.auth, spec.host);
  const stats = createStats();

  function answer(req: MockRequest): HandlerResult {
    const match = matchRoute(req.method, req.path);
    const route = match.kind === 'route' ? match.def.name : 'unmatched';
    const params = match.kind === 'route' ? match.params : {};
    const decision = engine.evaluate(req.method, req.path, route, params, opts.clock.nowMs());
    if (decision.replace !== undefined) return { route, response: decision.replace, plan: decision.plan };
    if (match.kind !== 'route' && req.path.startsWith(LOOKASIDE_PREFIX) && (req.method === 'GET' || req.method === 'HEAD')) {
      // The lookaside store is a plain web server beside the registry: no registry auth, 404 when absent.
      return { route, response: lookasideAnswer(content, req.path.slice(LOOKASIDE_PREFIX.length)), plan: decision.plan };
    }
    if (match.kind !== 'route') {
      stats.unmatched(req.method, req.path);
      return { route, response: match.kind === 'method' ? registryError(405) : routerNotFound(), plan: decision.plan };
    }
    if (route === 'token') {
      const t = auth.token(req, opts.clock.nowMs());
      if (t === undefined) stats.unmatched(req.method, req.path);
      return { route, response: t ?? routerNotFound(), plan: decision.plan };
    }
    const denied = auth.check(req, match.def.name, params.name, opts.clock.nowMs());
    if (denied !== undefined) return { route, response: denied, plan: decision.plan };
    let response: MockResponse;
    switch (route) {
      case 'ping':
        response = pingAnswer(req);
        break;
      case 'catalog':
        response = catalogAnswer(content);
        break;
      case 'tags':
        response = tagsAnswer(content, params.name!);
        break;
      case 'manifest':
        response = manifestAnswer(req, content, params.name!, params.reference!, decision.staleRule);
        break;
      default:
        response = blobAnswer(req, content, params.name!, params.digest!);
    }
    return { route, response, plan: decision.plan };
  }

  return {
    handle(req) {
      const { route, response, plan } = answer(req);
      // Registry answers carry the API version header; HTML pages (portal, proxy 502) do not.
      if (!response.headers['content-type']?.startsWith('text/html')) response.headers['docker-distribution-api-version'] = API_VERSION;
      if (plan.headers !== undefined) Object.assign(response.headers, plan.headers);
      if (req.method === 'HEAD') delete response.body;
      const silent = plan.blackhole || plan.raw !== undefined || (plan.reset !== undefined && plan.reset.afterBytes === undefined);
      stats.request(route, req.method, silent ? 0 : response.status);
      return { route, response, plan };
    },
    // Content faults (signatures) count the images they changed; request faults the requests they hit.
    stats: () => stats.snapshot(spec.host, rules, engine.firedCounts().map((n, i) => n + (content.signatureFaultsApplied[i] ?? 0))),
    setFaults(next) {
      const hadSignatureFaults = rules.some((r) => SIGNATURE_FAULTS.has(r.kind));
      rules = next;
      if (hadSignatureFaults || next.some((r) => r.kind === 'stale-tag' || SIGNATURE_FAULTS.has(r.kind))) content = buildContent(images, next, opts.cache, signing);
      engine = createFaultEngine(next, opts.seed);
    },
    faults: () => engine,
  };
}
