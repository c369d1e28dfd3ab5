/**
 * Fault rules as data, evaluated per request: timeline (`from`/`to` on the registry clock), matchers,
 * `count`, seeded `probability`. Each rule has its own seeded generator, so one rule's draws never shift
 * another's, and the same seed with the same request sequence fires the same faults.
 * `refuse` acts on the listener, not on requests: the adapter asks `refuseWindows()`.
 */
import { SIGNATURE_FAULTS } from './sigstore-sign.ts';
import type { FaultRule, RouteName } from './spec.ts';
import type { FaultPlan, MockResponse } from './http-types.ts';
import { emptyPlan } from './http-types.ts';
import { badGateway, htmlLoginPage, registryError } from './error-body.ts';
import { createRandom, deriveSeed, exponential, normal, type Random } from './prng.ts';
import { globToRegExp } from './glob.ts';

interface CompiledRule {
  index: number;
  rule: FaultRule;
  /** The rule whose effect applies (the inner fault of `flaky`, else the rule itself). */
  effect: FaultRule;
  methods: Set<string> | undefined;
  path: RegExp | undefined;
  routes: Set<string> | undefined;
  repository: RegExp | undefined;
  reference: RegExp | undefined;
  fromMs: number;
  toMs: number;
  count: number;
  probability: number;
  random: Random;
  fired: number;
}

export interface FaultDecision {
  plan: FaultPlan;
  /** An answer that replaces the route's (status, html). */
  replace: MockResponse | undefined;
  /** Index of the stale-tag rule that applies to this manifest-by-tag request. */
  staleRule: number | undefined;
}

export interface FaultEngine {
  evaluate(method: string, path: string, route: RouteName | 'unmatched', params: Record<string, string>, nowMs: number): FaultDecision;
  /** Periods during which the listener must be closed, in ms on the registry clock. */
  refuseWindows(): Array<{ index: number; fromMs: number; toMs: number }>;
  /** Count a fire for rules handled outside `evaluate` (refuse). */
  noteFired(index: number): void;
  /** Times each rule fired, by rule index. */
  firedCounts(): number[];
}

/** Shared answer for requests no rule touched; never mutated (adapters only read plans). */
const NO_FAULT: FaultDecision = Object.freeze({ plan: Object.freeze(emptyPlan()), replace: undefined, staleRule: undefined });

const REPLACING = new Set(['status', 'html', 'blackhole', 'reset', 'not-manifest', 'deep-json', 'redirect', 'tls-bytes']);

/** A TLS alert record (fatal, handshake_failure), as a TLS listener may send to a client that spoke plain text. */
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]);
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** An OCI index whose `manifests` nests `depth` arrays: built once per depth (100,000 levels is 200 kB). */
const deepBodies = new Map<number, Buffer>();
function deepIndex(depth: number): Buffer {
  let b = deepBodies.get(depth);
  if (!b) {
    b = Buffer.from(`{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    if (deepBodies.size > 8) deepBodies.clear();
    deepBodies.set(depth, b);
  }
  return b;
}

function redirectTo(location: string, path: string): string {
  // A bare origin sends the whole registry elsewhere: keep the request's path.
  return /^https?:\/\/[^/]+\/?$/.test(location) ? location.replace(/\/$/, '') + path : location;
}

function asSet(v: string | string[] | undefined, upper = false): Set<string> | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return new Set(upper ? list.map((s) => s.toUpperCase()) : list);
}

function compileRule(rule: FaultRule, index: number, seed: number): CompiledRule {
  const effect: FaultRule = rule.kind === 'flaky' ? (rule.fault ?? { kind: 'status', status: 503 }) : rule;
  return {
    index,
    rule,
    effect,
    methods: asSet(rule.method, true),
    path: rule.path !== undefined ? globToRegExp(rule.path) : undefined,
    routes: asSet(rule.route),
    repository: rule.repository !== undefined ? globToRegExp(rule.repository) : undefined,
    reference: rule.reference !== undefined ? globToRegExp(rule.reference) : undefined,
    fromMs: (rule.from ?? 0) * 1000,
    toMs: rule.to !== undefined ? rule.to * 1000 : Infinity,
    count: rule.count ?? Infinity,
    probability: rule.probability ?? (rule.kind === 'flaky' ? 0.5 : 1),
    random: createRandom(deriveSeed(seed, `rule ${index}`)),
    fired: 0,
  };
}

function sampleLatency(effect: FaultRule & { kind: 'latency' }, random: Random): number {
  let ms: number;
  switch (effect.distribution) {
    case 'uniform':
      ms = effect.min + (effect.max - effect.min) * random();
      break;
    case 'normal':
      ms = normal(random, effect.mean, effect.stddev);
      break;
    case 'exponential':
      ms = exponential(random, effect.mean);
      break;
    default:
      ms = effect.ms;
  }
  return Math.max(0, ms);
}

function statusAnswer(effect: FaultRule & { kind: 'status' }, route: RouteName | 'unmatched', params: Record<string, string>): MockResponse {
  const { status, code, message } = effect;
  if (status === 502 && code === undefined) return badGateway();
  const headers: Record<string, string> = {};
  if (effect.retryAfter !== undefined) headers['retry-after'] = String(effect.retryAfter);
  if (status === 404 && code === undefined) {
    if (route === 'blob') return registryError(404, 'BLOB_UNKNOWN', message ?? 'blob unknown to registry', { digest: params.digest }, headers);
    if (route === 'tags') return registryError(404, 'NAME_UNKNOWN', message ?? 'repository name not known to registry', { name: params.name }, headers);
    const ref = params.reference ?? '';
    const detail = ref.includes(':') ? { Name: params.name, Revision: ref } : { Tag: ref };
    return registryError(404, 'MANIFEST_UNKNOWN', message ?? 'manifest unknown', detail, headers);
  }
  return registryError(status, code, message, undefined, headers);
}

/** Compile a registry's rules. `seed` makes probabilities and latency draws reproducible. */
export function createFaultEngine(rules: FaultRule[], seed: number): FaultEngine {
  const compiled = rules.map((r, i) => compileRule(r, i, seed));
  // refuse acts on the listener; signature faults on the content (sigstore-sign.ts): neither per request.
  const active = compiled.filter((c) => c.rule.kind !== 'refuse' && !SIGNATURE_FAULTS.has(c.rule.kind));
  return {
    evaluate(method, path, route, params, nowMs) {
      let plan: FaultPlan | undefined; // allocated only when a rule fires: the no-fault path stays cheap
      let replace: MockResponse | undefined;
      let replaced = false;
      let staleRule: number | undefined;
      for (const c of active) {
        if (nowMs < c.fromMs || nowMs >= c.toMs || c.fired >= c.count) continue;
        if (c.methods !== undefined && !c.methods.has(method)) continue;
        if (c.routes !== undefined && !c.routes.has(route)) continue;
        if (c.path !== undefined && !c.path.test(path)) continue;
        if (c.repository !== undefined && (params.name === undefined || !c.repository.test(params.name))) continue;
        const ref = params.reference ?? params.digest;
        if (c.reference !== undefined && (ref === undefined || !c.reference.test(ref))) continue;
        const effect = c.effect;
        if (REPLACING.has(effect.kind) && replaced) continue;
        if (effect.kind === 'stale-tag' && (route !== 'manifest' || ref === undefined || ref.includes(':') || staleRule !== undefined)) continue;
        if (c.probability < 1 && c.random() >= c.probability) continue;
        c.fired++;
        plan ??= emptyPlan();
        switch (effect.kind) {
          case 'latency':
            plan.delayMs += sampleLatency(effect, c.random);
            break;
          case 'slow-body':
            plan.bytesPerSecond = Math.min(plan.bytesPerSecond ?? Infinity, effect.bytesPerSecond);
            break;
          case 'truncate':
            plan.truncateAfter = effect.afterBytes ?? 0;
            break;
          case 'wrong-digest':
            plan.corrupt = true;
            break;
          case 'stale-tag':
            staleRule = c.index;
            break;
          case 'status':
            replace = statusAnswer(effect, route, params);
            replaced = true;
            break;
          case 'html':
            replace = htmlLoginPage();
            replaced = true;
            break;
          case 'blackhole':
            plan.blackhole = true;
            replaced = true;
            break;
          case 'reset':
            plan.reset = { afterBytes: effect.afterBytes };
            replaced = true;
            break;
          case 'not-manifest':
            replace = { status: 200, headers: { 'content-type': effect.contentType ?? 'application/json' }, body: Buffer.from(effect.body ?? '{"status":"ok"}') };
            replaced = true;
            break;
          case 'deep-json':
            replace = { status: 200, headers: { 'content-type': OCI_INDEX }, body: deepIndex(effect.depth ?? 100_000) };
            replaced = true;
            break;
          case 'redirect':
            replace = { status: effect.status ?? 307, headers: { location: redirectTo(effect.location, path) } };
            replaced = true;
            break;
          case 'tls-bytes':
            plan.raw = TLS_ALERT;
            replaced = true;
            break;
          case 'big-header': {
            const name = effect.header ?? 'www-authenticate';
            const bytes = effect.bytes ?? 1024 * 1024;
            plan.headers ??= {};
            plan.headers[name] = name === 'www-authenticate' ? `Basic realm="${'a'.repeat(Math.max(0, bytes - 14))}"` : 'a'.repeat(bytes);
            break;
          }
          case 'lying-digest':
            plan.headers ??= {};
            plan.headers['docker-content-digest'] = 'sha256:' + 'deadbeef'.repeat(8);
            break;
          default:
            break;
        }
      }
      if (plan === undefined) return NO_FAULT;
      return { plan, replace, staleRule };
    },
    refuseWindows() {
      return compiled.filter((c) => c.rule.kind === 'refuse').map((c) => ({ index: c.index, fromMs: c.fromMs, toMs: c.toMs }));
    },
    noteFired(index) {
      const c = compiled[index];
      if (c !== undefined) c.fired++;
    },
    firedCounts() {
      return compiled.map((c) => c.fired);
    },
  };
}
