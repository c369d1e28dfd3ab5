/**
 * Per-registry counters: requests by route, method and status; faults fired; requests no route matched;
 * rules that never fired (a scenario whose fault never fired tested nothing: say so).
 */
import type { FaultKind, FaultRule } from './spec.ts';

/** A snapshot of one registry's counters. Plain data (JSON-ready). */
export interface MockRegistryStats {
  host: string;
  /** All requests received (including blackholed and reset ones). */
  requests: number;
  /** `status` is 0 when no status line was sent (blackhole, reset before the headers). */
  byRoute: Array<{ route: string; method: string; status: number; count: number }>;
  faults: Array<{ index: number; kind: FaultKind; fired: number }>;
  /** Requests no route answered (router 404 or 405), by method and path (at most 100 distinct, then counted under `…`). */
  unmatched: Array<{ method: string; path: string; count: number }>;
  /** Rules that never fired, described for people: `#2 status 503 on manifest from 2s to 5s`. */
  unusedRules: Array<{ index: number; kind: FaultKind; description: string }>;
}

export interface StatsRecorder {
  request(route: string, method: string, status: number): void;
  unmatched(method: string, path: string): void;
  snapshot(host: string, rules: FaultRule[], fired: number[]): MockRegistryStats;
}

/** `#2 status 503 HEAD manifest from 2s to 5s ×3 p=0.5` */
export function describeRule(rule: FaultRule, index: number): string {
  const parts = [`#${index}`, rule.kind];
  if (rule.kind === 'status') parts.push(String(rule.status));
  if (rule.kind === 'flaky') {
    const f = rule.fault ?? { kind: 'status', status: 503 };
    parts.push(`(${f.kind}${f.kind === 'status' ? ' ' + f.status : ''})`);
  }
  if (rule.method !== undefined) parts.push([rule.method].flat().join(','));
  if (rule.route !== undefined) parts.push('on ' + [rule.route].flat().join(','));
  if (rule.path !== undefined) parts.push(`path ${rule.path}`);
  if (rule.repository !== undefined) parts.push(`repository ${rule.repository}`);
  if (rule.reference !== undefined) parts.push(`reference ${rule.reference}`);
  if (rule.from !== undefined) parts.push(`from ${rule.from}s`);
  if (rule.to !== undefined) parts.push(`to ${rule.to}s`);
  if (rule.count !== undefined) parts.push(`×${rule.count}`);
  if (rule.probability !== undefined) parts.push(`p=${rule.probability}`);
  return parts.join(' ');
}

const MAX_UNMATCHED = 100;

export function createStats(): StatsRecorder {
  let requests = 0;
  const byRoute = new Map<string, number>();
  const unmatched = new Map<string, number>();
  return {
    request(route, method, status) {
      requests++;
      const key = `${route}\t${method}\t${status}`;
      byRoute.set(key, (byRoute.get(key) ?? 0) + 1);
    },
    unmatched(method, path) {
      let key = `${method}\t${path}`;
      if (!unmatched.has(key) && unmatched.size >= MAX_UNMATCHED) key = `${method}\t…`;
      unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
    },
    snapshot(host, rules, fired) {
      return {
        host,
        requests,
        byRoute: [...byRoute].map(([k, count]) => {
          const [route, method, status] = k.split('\t') as [string, string, string];
          return { route, method, status: Number(status), count };
        }),
        faults: rules.map((r, index) => ({ index, kind: r.kind, fired: fired[index] ?? 0 })),
        unmatched: [...unmatched].map(([k, count]) => {
          const [method, path] = k.split('\t') as [string, string];
          return { method, path, count };
        }),
        unusedRules: rules.flatMap((r, index) => ((fired[index] ?? 0) === 0 ? [{ index, kind: r.kind, description: describeRule(r, index) }] : [])),
      };
    },
  };
}
