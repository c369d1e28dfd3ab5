/**
 * A scenario's fault timeline in load-run time: which fault, on which registry, from when to when.
 * Mock timelines count from the moment the registries started; the load run starts a little later,
 * so every window is shifted by that offset. Also names the fault behind a failed attempt (the
 * scenario says "blackhole" where the engine only sees "timeout") for time-to-failover per fault kind.
 */
import type { FaultRule, MockRegistrySpec } from '../mock/spec.ts';
import type { AttemptEvent } from '../events/pull-events.ts';
import type { FaultKindOf } from './load-recorder.ts';
import type { FaultWindow } from './load-summary.ts';

/** "status 503", "latency", "flaky status 503": how a rule reads in reports. */
export function faultLabel(rule: FaultRule): string {
  if (rule.kind === 'status') return `status ${rule.status}`;
  if (rule.kind === 'flaky') return `flaky ${rule.fault ? faultLabel(rule.fault) : 'status 503'}`;
  return rule.kind;
}

/** `offsetMs`: the mock clock's reading when the load run started. */
export function faultWindows(specs: readonly MockRegistrySpec[], offsetMs: number): FaultWindow[] {
  const out: FaultWindow[] = [];
  for (const spec of specs) {
    if (spec.down) out.push({ registry: spec.host, kind: 'down', fromMs: 0, toMs: null });
    for (const rule of spec.faults ?? []) {
      out.push({
        registry: spec.host,
        kind: faultLabel(rule),
        fromMs: Math.max(0, (rule.from ?? 0) * 1000 - offsetMs),
        toMs: rule.to === undefined ? null : rule.to * 1000 - offsetMs,
        ...(rule.path ? { path: rule.path } : {}),
      });
    }
  }
  return out.filter((w) => w.toMs === null || w.toMs > 0);
}

const hostOf = (location: string): string => location.split('/')[0]!.toLowerCase();

/** Names the fault active on the attempt's registry at `endMs` (the first declared), else null. */
export function faultKindFromWindows(windows: readonly FaultWindow[]): FaultKindOf {
  return (a: AttemptEvent, endMs: number) => {
    const host = hostOf(a.location);
    const w = windows.find((f) => f.registry.toLowerCase() === host && f.fromMs <= endMs && (f.toMs === null || endMs < f.toMs + a.durationMs));
    return w ? w.kind : null;
  };
}
