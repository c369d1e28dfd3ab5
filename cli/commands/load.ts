/**
 * `pullpath load`: many pulls through the real resolution chain, against a scenario's mock registries
 * (faults on its timeline) or real endpoints, closed-loop (--concurrency) or open-loop (--rate); live TUI
 * and a final report (text or JSON). Exit 1 when wrong content was accepted or the success rate is below
 * --min-success-rate. `--shard I/N` runs one slice of the load (src/load/shard.ts) and writes a mergeable
 * report; `load merge FILE…` (load-merge.ts) combines them.
 */
import { dirname } from 'node:path';
import { parseLogLevel } from '../trace/log-level.ts';
import { createAttemptLogger } from '../trace/attempt-log.ts';
import { startHttpTrace } from '../trace/http-trace.ts';
import { linkedController, type RunContext } from '../lifecycle.ts';
import { outputFlag, parseCommandArgs, wholeNumberFlag } from '../args.ts';
import { UsageError } from '../../src/errors.ts';
import { resolveArg } from '../../src/resolve/resolve.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { CredentialStore } from '../../src/registry/auth-file.ts';
import type { HostMap } from '../../src/registry/host-map.ts';
import type { ScenarioEnvironment } from '../../src/scenario/environment.ts';
import { runLoadRecorded, type RecordedLoad } from '../../src/load/run-load.ts';
import { parseShard, shardConcurrency, shardImages, shardMaxRequests, type ShardSpec } from '../../src/load/shard.ts';
import { runIdOf, type ShardInfo } from '../../src/load/shard-report.ts';
import { createLoadMetrics, type LoadMetrics } from '../../src/report/load-prometheus.ts';
import { startMetricsServer, type MetricsServer } from '../../src/probe/metrics-server.ts';
import type { LoadMode } from '../../src/load/scheduler.ts';
import type { FaultWindow, LoadSummary } from '../../src/load/load-summary.ts';
import { faultWindows } from '../../src/load/fault-windows.ts';
import { nonLoopbackTargets } from '../../src/load/loopback-guard.ts';
import { runProxyConfig } from '../proxy-env.ts';
import type { ProxyConfig } from '../../src/proxy/proxy-for-url.ts';
import { formatLoadReport } from '../../src/report/load-text.ts';
import { loadRecordJson } from '../../src/report/load-json.ts';
import { EventChannel } from '../../src/pull/event-channel.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, resolverFromSetup } from '../config-flags.ts';
import { scenarioContainerdResolver } from '../../src/scenario/containerd-prepare.ts';
import { clientFlagOptions, clientFlagsHelp, clientFromFlags, hostMapFromFlags, parseSeconds } from '../registry-client-flags.ts';
import { shouldUseTui } from '../tui/should-use-tui.ts';
import { tuneHeapForLoad } from '../heap-tuning.ts';
import type { LoadBoardSnapshot } from '../tui/view-models.ts';

const DEFAULT_RATE = 20;
const DEFAULT_DURATION_S = 10;
const DEFAULT_TIMEOUT_S = 5;

export const help = `Usage: pullpath load --scenario FILE [REF...] [load flags]
       pullpath load [config flags] [network flags] --i-know-this-is-not-loopback REF... [load flags]
       pullpath load merge [--allow-partial] [-o text|json] FILE...

Drives many pulls through the real resolution chain (registries.conf match, mirrors in order, the same
engine as \`pullpath pull\`) and measures failover under load: throughput, success rate, latency
percentiles per endpoint and per step (HDR histograms), error classes, which source won how often,
time spent on failing sources before the winning one (time-to-failover) per fault kind, digest mismatches
(must be 0), and each fault's active window. Stops by itself at --duration or --max-requests.

Target:
  --scenario FILE            start the scenario's mock registries (faults follow its timeline, counted from
                             when they start) and pull its [[pull]] references, or the REFs given
  REF...                     references to pull, cycled in order (with a scenario: resolved with its config)
  --i-know-this-is-not-loopback
                             allow endpoints outside 127.0.0.0/8 and ::1 (after --connect-to). Without a
                             scenario you are load-testing real registries: be sure you may.

Load:
  --concurrency N            closed loop: N pulls in flight, each starting when one ends
  --rate R                   open loop: R pulls per second on a fixed schedule (R or R/s); each pull's
                             latency counts from its scheduled time, so stalls are not hidden
                             (default when neither is given: --rate ${DEFAULT_RATE})
  --max-in-flight N          open loop: cap on pulls in flight (default 10000); late pulls still count
                             from their scheduled time
  --connections N            cap on connections per endpoint (default none, as the runtime); pulls beyond
                             it wait inside the generator, and that wait counts in their latency
  --duration S               stop starting pulls after S seconds (default ${DEFAULT_DURATION_S}; 0 = only --max-requests)
  --max-requests N           stop after N pulls
  --min-success-rate P       exit 1 when fewer than P percent of pulls succeed
  --seed N                   fault seed for the scenario's mocks (default 1)

Across processes or pods:
  --shard I/N                run shard I (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of N: the run's pull
                             slots I, I+N, I+2N, … (each with its slot's time and image), so N shards together
                             pull what one process would: rate R/N each, --concurrency and --max-requests
                             split with the remainder to the lowest indexes (each shard needs ≥ 1). With
                             -o json the report carries the HDR histograms, for \`load merge\`
  --metrics-port P           serve live Prometheus histograms at http://127.0.0.1:P/metrics while running
                             (0: any free port; the URL goes to stderr). Same buckets in every shard: sum by (le)
  --metrics-host ADDR        bind the metrics server here instead of 127.0.0.1 (0.0.0.0 in a pod)
  --metrics-linger S         keep serving metrics S seconds after the run, for a last scrape (default 0)

  load merge FILE...         combine shard reports (\`-o json\` of --shard runs; \`kubectl logs\` output works:
                             other lines are skipped; - reads stdin) into the report of the whole run, in the
                             same text or JSON as one process. Counts add up; percentiles come from the merged
                             histograms. Refuses shards of different runs, a shard given twice, and missing
                             shards unless --allow-partial. Exit 1 as load (mismatches, --min-success-rate)

Output:
  -o, --output text|json     text (default): the report at the end; json: one {"type":"load",…} object
  --no-tui                   plain output even on a terminal (the live board is for a person at a terminal)
  -h, --help                 this help

${clientFlagsHelp.replace('DEFAULT_TIMEOUT', `${DEFAULT_TIMEOUT_S}; with a scenario, each pull's timeout-ms wins`)}

${configFlagsHelp}

Exit status: 0 done, 1 wrong content accepted (digest mismatch) or success rate below --min-success-rate,
2 bad usage or input.
`;

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  if (argv[0] === 'merge') return (await import('./load-merge.ts')).run(argv.slice(1), ctx);
  const parsed = parseCommandArgs({
    args: argv,
    options: {
      ...configFlagOptions,
      ...clientFlagOptions,
      scenario: { type: 'string' },
      'i-know-this-is-not-loopback': { type: 'boolean' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      'max-in-flight': { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      'max-requests': { type: 'string' },
      'min-success-rate': { type: 'string' },
      seed: { type: 'string' },
      output: { type: 'string' },
      'no-tui': { type: 'boolean' },
      shard: { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      'metrics-linger': { type: 'string' },
    },
    allowPositionals: true,
  });
  const { values, positionals } = parsed;
  tuneHeapForLoad();
  const output = outputFlag(values.output);
  if (values.concurrency !== undefined && values.rate !== undefined) throw new UsageError('give --concurrency (closed loop) or --rate (open loop), not both');
  const shard: ShardSpec | null = values.shard === undefined ? null : parseShard(values.shard);
  const concurrency = wholeNumberFlag('concurrency', values.concurrency);
  // What makes two shards parts of one run (hashed into the run id that `load merge` checks): the whole run's figures.
  const runShape: Record<string, unknown> = {};
  let mode: LoadMode;
  if (concurrency !== undefined) {
    runShape.concurrency = concurrency;
    mode = { kind: 'closed', concurrency: shard ? shardConcurrency(concurrency, shard) : concurrency };
  } else {
    const rate = values.rate === undefined ? DEFAULT_RATE : Number(values.rate.replace(/\/s$/, ''));
    if (!(rate > 0) || !Number.isFinite(rate)) throw new UsageError(`--rate: expected pulls per second > 0 (e.g. 50 or 50/s), got "${values.rate}"`);
    const cap = wholeNumberFlag('max-in-flight', values['max-in-flight']);
    runShape.rate = rate;
    runShape.maxInFlight = cap ?? null;
    // A shard keeps the whole rate and takes every N-th slot of its schedule (src/load/shard.ts).
    mode = { kind: 'open', ratePerSec: rate, ...(cap !== undefined ? { maxInFlight: cap } : {}), ...(shard ? { slots: { first: shard.index, every: shard.count } } : {}) };
  }
  const durationMs = values.duration === '0' ? null : parseSeconds('duration', values.duration, DEFAULT_DURATION_S * 1000);
  const totalRequests = wholeNumberFlag('max-requests', values['max-requests']) ?? null;
  const maxRequests = totalRequests !== null && shard ? shardMaxRequests(totalRequests, shard) : totalRequests;
  Object.assign(runShape, { durationMs, maxRequests: totalRequests, shards: shard?.count ?? null });
  let metricsPort: number | null = null;
  if (values['metrics-port'] !== undefined) {
    metricsPort = Number(values['metrics-port']);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new UsageError(`--metrics-port: expected a port 0-65535, got "${values['metrics-port']}"`);
  }
  const lingerMs = values['metrics-linger'] === undefined ? 0 : parseSeconds('metrics-linger', values['metrics-linger'], 0);
  if (metricsPort === null && (values['metrics-host'] !== undefined || values['metrics-linger'] !== undefined)) {
    throw new UsageError(`--${values['metrics-host'] !== undefined ? 'metrics-host' : 'metrics-linger'} needs --metrics-port`);
  }
  if (durationMs === null && maxRequests === null) throw new UsageError('--duration 0 needs --max-requests: a load run must stop by itself');
  let minSuccess: number | null = null;
  if (values['min-success-rate'] !== undefined) {
    minSuccess = Number(values['min-success-rate'].replace(/%$/, ''));
    if (!(minSuccess >= 0 && minSuccess <= 100)) throw new UsageError(`--min-success-rate: expected a percentage 0-100, got "${values['min-success-rate']}"`);
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed: expected a whole number, got "${values.seed}"`);
  // As the runtime's Go transport: no cap on connections per host unless asked, so a slow endpoint holds its
  // pulls on the wire, not in a queue inside the generator (that wait would be counted as the registry's).
  const connections = wholeNumberFlag('connections', values.connections) ?? null;

  let env: ScenarioEnvironment | null = null;
  let client: RegistryClient;
  let closeClient: () => Promise<void>;
  let resolutions: Resolution[];
  let hostMap: HostMap;
  // The proxy variables the runtime would follow (REFs against real endpoints; scenarios never use a proxy).
  let proxyConfig: ProxyConfig | undefined;
  let expected: (string | null)[] = [];
  // Read at the instant the load run's clock starts (see runLoad): the mock clock has been running since the
  // registries started, and loading the TUI in between must not shift the windows.
  let faults: (() => FaultWindow[]) | undefined;
  let timeoutMs = parseSeconds('timeout', values.timeout, DEFAULT_TIMEOUT_S * 1000);

  let containerdSystemCa: string[] | null = null;
  if (values.scenario !== undefined) {
    // Scenario code (mock registries, their CA, image builder) is loaded only for --scenario: a run against
    // real endpoints keeps that much less in memory.
    const [{ loadScenario }, { prepareScenario }, { startEnvironment }, { expectedDigest }] = await Promise.all([
      import('../../src/scenario/load.ts'),
      import('../../src/scenario/prepare.ts'),
      import('../../src/scenario/environment.ts'),
      import('../../src/load/expected-digests.ts'),
    ]);
    const prepared = prepareScenario(await loadScenario(values.scenario));
    const resolveExtra = prepared.containerd ? scenarioContainerdResolver(prepared.containerd) : (p: string) => resolveArg(prepared.compiled, p);
    resolutions = positionals.length > 0 ? positionals.map(resolveExtra) : prepared.resolutions;
    if (resolutions.length === 0) throw new UsageError(`${values.scenario}: nothing to pull: the scenario has no [[pull]] tables; give REFs to load-test its registries`);
    if (values.timeout === undefined) timeoutMs = prepared.scenario.pulls[0]?.timeoutMs ?? prepared.scenario.defaults.timeoutMs;
    env = await startEnvironment(prepared.scenario, { seed });
    if (prepared.containerd && env.mocks.caPem) containerdSystemCa = [env.mocks.caPem];
    hostMap = env.hostMap;
    // The environment's client has small pools; load needs its own, on the same host map, certs.d and auth.json.
    const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: connections });
    const credentials = env.authFile ? await CredentialStore.load({ authFile: env.authFile, home: dirname(env.authFile), env: {} }) : CredentialStore.empty();
    client = createRegistryClient({ dispatchers, hostMap, credentials, certs: { roots: [env.certsDir] } });
    const stopTrace = parseLogLevel(values) === 'debug' ? startHttpTrace({ write: (s) => process.stderr.write(s), redactor: client.redactor }) : () => {};
    closeClient = async () => {
      stopTrace();
      await client.close();
      await dispatchers.close();
    };
    const specs = prepared.scenario.mocks.map((m) => m.spec);
    runShape.scenario = runIdOf({ specs, pulls: prepared.scenario.pulls, seed });
    expected = resolutions.map((r) => expectedDigest(r, specs));
    const mockClock = env.mocks.clock;
    faults = () => faultWindows(specs, mockClock.nowMs());
  } else {
    if (positionals.length === 0) throw new UsageError('nothing to pull: give --scenario FILE, or REFs with the config and network flags');
    // Policy verdicts belong to resolve/pull/verify; silently ignoring the flag here would mislead.
    if (values.policy !== undefined) throw new UsageError('--policy does not apply to load: use resolve, pull or verify --policy');
    // containers/image's rules, or containerd's under --runtime containerd.
    const setup = await loadSetupFromFlags(values);
    const resolveOne = resolverFromSetup(setup);
    resolutions = positionals.map((p) => resolveOne(p));
    hostMap = hostMapFromFlags(values);
    client = await clientFromFlags(values, { connections, credentialHelpers: setup.config.credentialHelpers, proxyEnv: setup.proxyEnv });
    proxyConfig = runProxyConfig(setup.proxyEnv);
    closeClient = () => client.close();
  }

  let served: MetricsServer | null = null;
  try {
    Object.assign(runShape, { refs: resolutions.map((r) => r.ref), expected, timeoutMs, connections });
    const shardInfo: ShardInfo | null = shard ? { ...shard, runId: runIdOf(runShape), images: shardImages(shard, resolutions.length) } : null;
    const bad = resolutions.filter((r) => r.error !== null);
    if (bad.length > 0) throw new UsageError(`cannot resolve ${bad.map((r) => `${r.ref}: ${r.error}`).join('; ')}`);
    const outside = nonLoopbackTargets(resolutions, hostMap, proxyConfig);
    if (outside.length > 0 && values['i-know-this-is-not-loopback'] !== true) {
      throw new UsageError(
        `these endpoints are not on loopback: ${outside.join(', ')}. Load-testing real registries can get you rate-limited or banned; ` +
          'map them to local servers with --connect-to, use --scenario, or pass --i-know-this-is-not-loopback',
      );
    }
    // Ctrl-C and a closed output stop the run (cli/lifecycle.ts): the summary still prints, then exit 130.
    const abort = linkedController(ctx.signal);
    const tui = shouldUseTui({ stdout: process.stdout, env: process.env, flags: { 'no-tui': values['no-tui'] === true || parseLogLevel(values) === 'debug', output } }); // debug lines would tear the TUI
    const progress = !tui && process.stderr.isTTY === true;
    const boards = new EventChannel<LoadBoardSnapshot>();
    const onSnapshot = (s: LoadSummary): void => {
      // The board gets the recorder's summary itself, as the report and the JSON do.
      if (tui) boards.push({ summary: s, durationMs });
      if (progress) process.stderr.write(`\r${(s.elapsedMs / 1000).toFixed(1)} s: ${s.requests} pulls, ${s.successes} ok, ${s.inFlight} in flight `);
    };
    // Load Ink before the clock starts: compiling the TUI blocks the event loop for a moment.
    const renderLoad = tui ? (await import('../tui/render.tsx')).renderLoad : null;
    let metrics: LoadMetrics | null = null;
    if (metricsPort !== null) {
      metrics = createLoadMetrics({ shard: shard?.index ?? 0, shards: shard?.count ?? 1, runId: shardInfo?.runId ?? runIdOf(runShape) });
      served = await startMetricsServer(metrics, metricsPort, values['metrics-host'] ?? '127.0.0.1');
      process.stderr.write(`pullpath load: metrics at ${served.url}\n`);
    }
    const m = metrics;
    const running = runLoadRecorded({
      target: { resolutions, expectedDigests: expected },
      // A containerd scenario: the mocks' CA stands for the node's system trust store (as in `scenario run`).
      pull: { client, attemptTimeoutMs: timeoutMs, ...(containerdSystemCa ? { containerdSystemCa } : {}) },
      mode, durationMs, maxRequests, signal: abort.signal, ...(faults ? { faults } : {}), onSnapshot,
      ...(shard ? { shard } : {}),
      ...(m ? { onStart: () => m.started(), onSample: (v, s) => m.observe(v, s) } : {}),
      ...(parseLogLevel(values) === 'debug' ? { onEvent: createAttemptLogger((s) => process.stderr.write(s)) } : {}),
    });
    let recorded: RecordedLoad;
    try {
      if (renderLoad) {
        const done = running.finally(() => boards.close());
        // The board stays until q (when keys can be read); the report below is the one --no-tui prints.
        await renderLoad(boards, { title: 'load', abort, signal: ctx.signal, printSummary: false, keepOpen: true });
        recorded = await done;
      } else recorded = await running;
    } finally {
      if (progress) process.stderr.write('\n');
    }
    const summary = recorded.summary;
    process.stdout.write(output === 'json' ? loadRecordJson(summary, shardInfo ? { shard: shardInfo, recorder: recorded.state() } : {}) : formatLoadReport(summary) + '\n');
    if (shardInfo && output !== 'json') process.stderr.write(`pullpath load: shard ${shardInfo.index}/${shardInfo.count} of run ${shardInfo.runId}; -o json writes the report that \`load merge\` combines\n`);
    if (served) {
      // A last scrape after the run (a Job's pod exits right after): the final counts reach Prometheus.
      if (lingerMs > 0 && !abort.signal.aborted) await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, lingerMs);
        abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
    }
    const belowMin = minSuccess !== null && summary.successRate * 100 < minSuccess;
    return summary.digestMismatches > 0 || belowMin ? 1 : 0;
  } finally {
    await served?.close();
    await closeClient();
    await env?.close();
  }
}
