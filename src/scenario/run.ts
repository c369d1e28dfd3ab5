/**
 * The scenario runner: starts the scenario's world (environment.ts), runs each pull at its time through
 * the real engine (src/pull's `pullOne` over src/registry's client, on src/resolve's Resolution from
 * src/config's loader), checks each run's expectations, stops everything, and returns the report.
 * The merged event stream is exposed for live views (the TUI); the report needs no consumer.
 */
import { EventChannel } from '../pull/event-channel.ts';
import type { PullEvent } from '../events/pull-events.ts';
import { pullOne } from '../pull/pull-one.ts';
import { checkExpectations } from './check.ts';
import { startEnvironment, type ScenarioEnvironment } from './environment.ts';
import { prepareScenario, type PreparedScenario } from './prepare.ts';
import type { MockActivity, PullRunReport, Scenario, ScenarioReport } from './types.ts';

export interface RunScenarioOptions {
  /** Cancels in-flight pulls and skips those not started (the TUI's `q`, Ctrl-C). */
  signal?: AbortSignal;
  /** Fault seed, for reproducible flaky/latency draws. Default 1. */
  seed?: number;
  /** Called as each pull run is checked (for live expectation views). */
  onPullChecked?: (run: PullRunReport) => void;
  /** Called once the mocks listen, before the first pull (`pullpath mock` style listings, tests). */
  onReady?: (env: ScenarioEnvironment) => void;
}

export interface ScenarioRun {
  /** Every PullEvent of every pull run, as they happen. Image labels are unique (`REF #2` for a repeat). */
  events: AsyncIterable<PullEvent>;
  /** Resolves once every pull finished and everything stopped. Never rejects: set-up errors land in `error`. */
  report: Promise<ScenarioReport>;
}

interface PlannedRun {
  index: number;
  run: number;
  atMs: number;
  label: string;
}

function plan(s: Scenario): PlannedRun[] {
  const seen = new Map<string, number>();
  const runs: PlannedRun[] = [];
  s.pulls.forEach((p, index) => {
    for (let run = 1; run <= p.repeat; run++) runs.push({ index, run, atMs: (p.at + (run - 1) * p.interval) * 1000, label: '' });
  });
  runs.sort((a, b) => a.atMs - b.atMs || a.index - b.index || a.run - b.run);
  for (const r of runs) {
    const ref = s.pulls[r.index]!.ref;
    const n = (seen.get(ref) ?? 0) + 1;
    seen.set(ref, n);
    r.label = n === 1 ? ref : `${ref} #${n}`;
  }
  return runs;
}

function activity(env: ScenarioEnvironment): MockActivity[] {
  return env.mocks.registries.map((r) => {
    const st = r.stats();
    return {
      host: r.host,
      address: r.spec.down ? null : r.address,
      requests: st.requests,
      unmatched: st.unmatched.map((u) => `${u.method} ${u.path}`),
      unusedRules: st.unusedRules.map((u) => u.description),
    };
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Starts a prepared scenario. Iterate `events` for a live view, await `report` for the verdict.
 * @example
 * const run = startScenario(prepareScenario(await loadScenario('scenarios/demo.toml')));
 * const report = await run.report; // report.ok, report.pulls[0].expectations
 */
export function startScenario(prepared: PreparedScenario, opts: RunScenarioOptions = {}): ScenarioRun {
  const channel = new EventChannel<PullEvent>();
  const s = prepared.scenario;
  const t0 = performance.now();
  const base = { file: s.file, name: s.name, story: s.story };
  const report = (async (): Promise<ScenarioReport> => {
    let env: ScenarioEnvironment;
    try {
      env = await startEnvironment(s, opts.seed !== undefined ? { seed: opts.seed } : {});
    } catch (err) {
      channel.close();
      return { ...base, ok: false, error: `could not start the mock registries: ${(err as Error).message}`, pulls: [], mocks: [], durationMs: performance.now() - t0 };
    }
    // Event times and fault timelines share one origin: the moment the mocks' clock started.
    const startedAt = performance.now() - env.mocks.clock.nowMs();
    const results: PullRunReport[] = [];
    try {
      opts.onReady?.(env);
      await Promise.all(
        plan(s).map(async (r) => {
          await sleep(r.atMs - env.mocks.clock.nowMs(), opts.signal);
          if (opts.signal?.aborted) return;
          const pull = s.pulls[r.index]!;
          const events: PullEvent[] = [];
          // As CRI-O judges a pod in the pull's namespace (its /etc/crio/policies/NS.json when rendered).
          const policy = env.policyFor(pull.namespace);
          await pullOne(
            prepared.resolutions[r.index]!,
            {
              client: env.client,
              attemptTimeoutMs: pull.timeoutMs ?? s.defaults.timeoutMs,
              startedAt,
              image: r.label,
              // The scenario's policy.json and registries.d: signature failures are the engine's own results.
              ...(policy ? { policy, signatures: env.signatures } : {}),
              // containerd verifies https hosts against the system roots: in a scenario, the mocks' CA is that store.
              ...(prepared.containerd && env.mocks.caPem ? { containerdSystemCa: [env.mocks.caPem] } : {}),
            },
            (e) => {
              events.push(e);
              channel.push(e);
            },
            opts.signal,
          );
          const expectations = checkExpectations(events, pull.expect);
          const done: PullRunReport = {
            key: pull.repeat > 1 ? `${pull.key}#${r.run}` : pull.key,
            ref: pull.ref,
            run: r.run,
            events,
            expectations,
            ok: expectations.every((x) => x.ok),
          };
          results.push(done);
          opts.onPullChecked?.(done);
        }),
      );
    } catch (err) {
      channel.close();
      const mocks = activity(env);
      await env.close();
      return { ...base, ok: false, error: `the run stopped: ${(err as Error).message}`, pulls: sortRuns(results), mocks, durationMs: performance.now() - t0 };
    }
    const mocks = activity(env);
    await env.close();
    channel.close();
    const cancelled = opts.signal?.aborted === true;
    const pulls = sortRuns(results);
    return {
      ...base,
      ok: !cancelled && pulls.every((p) => p.ok),
      error: cancelled ? 'cancelled before every pull ran' : null,
      pulls,
      mocks,
      durationMs: performance.now() - t0,
    };
  })();
  return { events: channel, report };
}

/** Pull runs in file order (they may finish in any order). */
function sortRuns(runs: PullRunReport[]): PullRunReport[] {
  const order = (k: string): [number, number] => {
    const m = /^pull\[(\d+)\](?:#(\d+))?$/.exec(k);
    return [Number(m?.[1] ?? 0), Number(m?.[2] ?? 1)];
  };
  return [...runs].sort((a, b) => {
    const [ai, ar] = order(a.key);
    const [bi, br] = order(b.key);
    return ai - bi || ar - br;
  });
}

/** Runs a scenario to the end and returns its report (the events are not kept beyond each pull's). */
export async function runScenario(scenario: Scenario | PreparedScenario, opts: RunScenarioOptions = {}): Promise<ScenarioReport> {
  const prepared = 'compiled' in scenario ? scenario : prepareScenario(scenario);
  const run = startScenario(prepared, opts);
  // Drain the live stream so it never buffers unboundedly.
  const drain = (async () => {
    for await (const _ of run.events) void _;
  })();
  const report = await run.report;
  await drain.catch(() => undefined);
  return report;
}
