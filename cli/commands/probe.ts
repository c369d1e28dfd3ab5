/**
 * `pullpath probe`: the health of every endpoint a registries configuration can send pulls to. One pass,
 * or `--watch` passes every `--interval` seconds with rolling health; text table, TUI, JSON Lines, and
 * Prometheus metrics on `--metrics-port`. Exit 1 when the last pass left any endpoint down or degraded.
 */
import { parseLogLevel } from '../trace/log-level.ts';
import { linkedController, type RunContext } from '../lifecycle.ts';
import { outputFlag, parseCommandArgs, wholeNumberFlag } from '../args.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { readInput } from '../../src/read-input.ts';
import { parseCanary, planProbe } from '../../src/probe/endpoints.ts';
import { runProbe, type ProbeRunEvent } from '../../src/probe/run-probe.ts';
import type { ProbeSnapshot } from '../../src/probe/probe-tracker.ts';
import { startMetricsServer, type MetricsServer } from '../../src/probe/metrics-server.ts';
import { createProbeMetrics } from '../../src/report/prometheus.ts';
import { createVerifyMetrics } from '../../src/report/verify-metrics.ts';
import { watchCertificateExpiry } from '../../src/probe/tls-expiry.ts';
import { liveness, readiness, stallAfterMs, type PassClock } from '../../src/probe/liveness.ts';
import { runPeriodicVerify } from '../../src/verify/periodic-verify.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { readImageList } from '../image-lists.ts';
import { nodeNameFlag } from '../node-name.ts';
import { formatHealthChange, formatProbeTable } from '../../src/report/probe-text.ts';
import { passRecordJson, probeRecordsJson } from '../../src/report/probe-json.ts';
import { parseImageList } from '../../src/verify/image-list.ts';
import { EventChannel } from '../../src/pull/event-channel.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, resolverFromSetup } from '../config-flags.ts';
import { planContainerdProbe } from '../../src/probe/containerd-endpoints.ts';
import { clientFlagOptions, clientFlagsHelp, clientFromFlags, parseSeconds } from '../registry-client-flags.ts';
import { shouldUseTui } from '../tui/should-use-tui.ts';
import type { ProbeBoardSnapshot } from '../tui/view-models.ts';

const DEFAULT_TIMEOUT_S = 10;
const DEFAULT_INTERVAL_S = 15;
const DEFAULT_VERIFY_INTERVAL_S = 6 * 3600;

export const help = `Usage: pullpath probe [config flags] [network flags] [--canary PREFIX=REF]... [--images FILE]
                      [--check-blob] [--watch [--interval S] [--rounds N]] [--metrics-port P]
                      [--output text|json] [--no-tui] [REF...]

Probes every endpoint the configuration can send pulls to: each [[registry]] location and each mirror
(blocked ones are listed, never contacted). Each probe has three steps, and a failed step stops it:
  1. ping      GET /v2/ must answer 200 or 401, with Docker-Distribution-API-Version, and not an HTML page
  2. manifest  GET of a canary image as the runtime fetches it (full Accept list, 4 MiB cap), parsed as
               the runtime parses it; its bytes and its Docker-Content-Digest must match the digest
  3. blob      with --check-blob: a 1-byte ranged GET of the canary's config blob (through an index to
               this machine's platform)
Health: down (the ping failed), degraded (a later step failed, recent probes failed, or slow), up.

Canaries (an image that must exist on every endpoint of a prefix):
  --canary PREFIX=REF        for the [[registry]] with this prefix; pin it by digest for digest-only
                             mirrors (a tag canary is skipped on them, as the runtime skips them); repeatable
  REF..., --images FILE      images: the first under each prefix is its canary when none is given, and
                             images no [[registry]] covers add their registry as an endpoint

Probing:
  --check-blob               run step 3
  --mirrors-only             probe mirrors only (disconnected clusters): each source is listed as skipped,
                             with the reason, and does not count toward the exit status
  --watch                    keep probing; stop with Ctrl-C (or after --rounds)
  --interval S               seconds between the starts of two passes (default ${DEFAULT_INTERVAL_S})
  --rounds N                 stop after N passes (with --watch)
  --window N                 probes the rolling health looks at (default 10)
  --slow S                   a probe slower than this (p90 of the window) makes an endpoint degraded
                             (default 1)
  --concurrency N            endpoints probed at once (default 8)

Output:
  -o, --output text|json     text (default): the endpoint table, and in --watch one line per health change;
                             json: JSON Lines (schemas/probe.schema.json): per pass, {"type":"probe",…} per
                             endpoint in config order (each followed by its {"type":"change",…}, if any),
                             then {"type":"pass",…}
  --no-tui                   plain output even on a terminal (the TUI is used for a person at a terminal)
  --metrics-port P           serve Prometheus metrics at http://127.0.0.1:P/metrics while probing, per
                             endpoint: pullpath_probe_success (as blackbox_exporter's probe_success),
                             pullpath_probe_up, pullpath_probe_health_state{state}, pullpath_probe_http_status_code,
                             pullpath_probe_ssl_earliest_cert_expiry, pullpath_probe_duration_seconds (histogram
                             per step), pullpath_probe_probes_total, pullpath_probe_errors_total{step,class},
                             pullpath_probe_last_change_timestamp_seconds; per prefix: pullpath_prefix_reachable,
                             pullpath_prefix_failover. Also /healthz (the probe loop is passing) and /readyz
                             (the first pass is done)
  --metrics-host ADDR        bind the metrics server here instead of 127.0.0.1 (exposes mirror names)
  --node-name NAME           add node="NAME" to every metric (default $NODE_NAME, e.g. from the downward API)

Verify on the node (with --watch and --metrics-port; docs/fleet.md):
  --verify-images FILE       also run "pullpath verify" on these images (one reference a line) at start and
                             every --verify-interval, and export a summary (never per image):
                             pullpath_verify_images{result}, pullpath_verify_failures{reason},
                             pullpath_verify_success, pullpath_verify_last_run_timestamp_seconds,
                             pullpath_verify_duration_seconds, pullpath_verify_runs_total. The source is
                             forbidden where it is blocked, and always with --mirrors-only
  --verify-interval S        seconds between two verify runs (default ${DEFAULT_VERIFY_INTERVAL_S}, 6 h)
  -h, --help                 this help

${clientFlagsHelp.replace('DEFAULT_TIMEOUT', `${DEFAULT_TIMEOUT_S}; the deadline of one whole probe`)}

${configFlagsHelp}

Exit status: 0 every endpoint up, 1 any endpoint down or degraded after the last pass, 2 bad usage or input.
`;

/** The TUI's view of a snapshot (the board derives nothing itself). */
export function toBoard(s: ProbeSnapshot, atMs: number): ProbeBoardSnapshot {
  return {
    at: atMs,
    endpoints: s.endpoints.map((e) => ({
      endpoint: e.endpoint,
      role: `${e.role} of ${e.prefixes.join(', ')}${e.insecure ? ' (insecure)' : ''}`,
      health: e.state,
      latencyMs: e.probeLatency.count > 0 ? { p50: e.probeLatency.p50Ms, p90: e.probeLatency.p90Ms, p99: e.probeLatency.p99Ms } : null,
      errorRate: e.window.probes > 0 ? e.window.failures / e.window.probes : 0,
      samples: e.window.probes,
      lastChange: e.lastChangeMs === null ? null : { at: e.lastChangeMs, from: e.previousState },
      lastError: e.lastError,
      lastErrorClass: (e.lastErrorClass as never) ?? null,
    })),
  };
}

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    options: {
      ...configFlagOptions,
      ...clientFlagOptions,
      canary: { type: 'string', multiple: true },
      images: { type: 'string', multiple: true },
      'check-blob': { type: 'boolean' },
      'mirrors-only': { type: 'boolean' },
      watch: { type: 'boolean' },
      interval: { type: 'string' },
      rounds: { type: 'string' },
      window: { type: 'string' },
      slow: { type: 'string' },
      concurrency: { type: 'string' },
      output: { type: 'string' },
      'no-tui': { type: 'boolean' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      'node-name': { type: 'string' },
      'verify-images': { type: 'string', multiple: true },
      'verify-interval': { type: 'string' },
    },
    allowPositionals: true,
  });
  const { values, positionals } = parsed;
  const output = outputFlag(values.output);
  const watch = values.watch === true;
  if (!watch && (values.rounds !== undefined || values.interval !== undefined)) throw new UsageError('--interval and --rounds need --watch');
  const intervalMs = parseSeconds('interval', values.interval, DEFAULT_INTERVAL_S * 1000);
  const timeoutMs = parseSeconds('timeout', values.timeout, DEFAULT_TIMEOUT_S * 1000);
  const slowMs = parseSeconds('slow', values.slow, 1000);
  const window = wholeNumberFlag('window', values.window) ?? 10;
  const concurrency = wholeNumberFlag('concurrency', values.concurrency) ?? 8;
  const rounds = wholeNumberFlag('rounds', values.rounds);
  let metricsPort: number | null = null;
  if (values['metrics-port'] !== undefined) {
    metricsPort = Number(values['metrics-port']);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new UsageError(`--metrics-port: expected a port 0-65535, got "${values['metrics-port']}"`);
  }
  const verifyFiles = values['verify-images'] ?? [];
  if (verifyFiles.length > 0 && !(watch && metricsPort !== null)) throw new UsageError('--verify-images needs --watch and --metrics-port: its results are metrics');
  if (values['verify-interval'] !== undefined && verifyFiles.length === 0) throw new UsageError('--verify-interval needs --verify-images');
  const verifyIntervalMs = parseSeconds('verify-interval', values['verify-interval'], DEFAULT_VERIFY_INTERVAL_S * 1000);
  const verifyImages: string[] = [];
  for (const f of verifyFiles) verifyImages.push(...(await readImageList(f, false, 'probe')));
  const node = nodeNameFlag(values['node-name']);
  const canaries = (values.canary ?? []).map(parseCanary);
  const images = [...positionals];
  for (const f of values.images ?? []) {
    let text: string;
    let name: string;
    try {
      ({ path: name, text } = await readInput(f, '--images'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new ConfigError(`cannot read image list ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: f });
    }
    images.push(...parseImageList(text, name, { requireDigest: false }).map((x) => x.ref));
  }

  // Policy verdicts belong to resolve/pull/verify; silently ignoring the flag here would mislead.
  if (values.policy !== undefined) throw new UsageError('--policy does not apply to probe: use resolve, pull or verify --policy');
  const setup = await loadSetupFromFlags(values);
  if (setup.containerd && canaries.length > 0) throw new UsageError('--canary PREFIX=REF applies to registries.conf prefixes; with --runtime containerd give the canary images as REF arguments or --images FILE');
  const plan = setup.containerd
    ? planContainerdProbe({ setup: setup.containerd, images, mirrorsOnly: values['mirrors-only'] === true })
    : planProbe({ config: setup.config, canaries, images, mirrorsOnly: values['mirrors-only'] === true });
  if (plan.endpoints.length === 0) {
    process.stderr.write(`pullpath probe: no endpoint to probe (${plan.skipped.length} skipped)\n`);
    return 2;
  }
  const client = await clientFromFlags(values, { connections: concurrency, credentialHelpers: setup.config.credentialHelpers, proxyEnv: setup.proxyEnv });
  const metrics = createProbeMetrics(plan.endpoints, { node, prefixes: plan.prefixes });
  const stopCerts = watchCertificateExpiry((host, notAfter) => metrics.observeCertificate(host, notAfter));
  const clock: PassClock = { startedMs: performance.now(), lastPassEndMs: null, passes: 0 };
  const stallMs = stallAfterMs(intervalMs, timeoutMs);
  let server: MetricsServer | null = null;
  let verifying: Promise<void> | null = null;
  // Ctrl-C and a closed output stop the run (cli/lifecycle.ts); the TUI's q aborts this controller too.
  const abort = linkedController(ctx.signal);
  const tui = shouldUseTui({ stdout: process.stdout, env: process.env, flags: { 'no-tui': values['no-tui'] === true || parseLogLevel(values) === 'debug', output } }); // debug lines would tear the TUI
  const out = process.stdout;
  // The latest pass: its snapshot (percentiles of every endpoint) is computed only when something shows it.
  let lastRound: { snapshot: ProbeSnapshot } | null = null;
  try {
    if (metricsPort !== null) {
      server = await startMetricsServer(metrics, metricsPort, values['metrics-host'] ?? '127.0.0.1', {
        live: () => liveness(clock, performance.now(), stallMs),
        ready: () => readiness(clock),
      });
      process.stderr.write(`pullpath probe: metrics at ${server.url}\n`);
    }
    if (verifyImages.length > 0) {
      const verifyMetrics = createVerifyMetrics(metrics.registry);
      // Verify shares the probe's client and signal; a failed run is a metric, never the process's exit.
      verifying = runPeriodicVerify({
        compiled: compileConfig(setup.config), ...(setup.containerd ? { resolve: resolverFromSetup(setup) } : {}), images: verifyImages, noSource: values['mirrors-only'] === true ? true : null, checkBlobs: false, jobs: 4,
        pull: { client, attemptTimeoutMs: timeoutMs, policy: null, signatures: null },
        intervalMs: verifyIntervalMs, signal: abort.signal,
        onRun: (verdicts, ms) => {
          verifyMetrics.record(verdicts, ms);
          const failed = verdicts.filter((v) => !v.ok).length;
          process.stderr.write(`pullpath probe: verify: ${verdicts.length - failed} of ${verdicts.length} images served by a mirror (${Math.round(ms)} ms)\n`);
        },
      }).catch((err: unknown) => {
        process.stderr.write(`pullpath probe: verify stopped: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    }
    for (const n of plan.notes) process.stderr.write(`pullpath probe: ${n}\n`);
    const events = runProbe({
      plan, client, timeoutMs, checkBlob: values['check-blob'] === true, concurrency, watch, intervalMs, signal: abort.signal,
      health: { window, slowMs }, ...(rounds !== undefined ? { maxRounds: rounds } : {}),
    });
    const t0 = performance.now();
    const handle = (ev: ProbeRunEvent): void => {
      if (ev.type === 'probe') {
        metrics.observe(ev.outcome, ev.change, ev.state);
        // runProbe yields a pass's probes in config order (after the whole pass), so JSON needs no reordering.
        if (output === 'json') out.write(probeRecordsJson(ev));
        else if (!tui && watch && ev.change && lastRound !== null) out.write(formatHealthChange(ev.change) + '\n');
      } else {
        const first = lastRound === null;
        lastRound = ev;
        clock.passes++;
        clock.lastPassEndMs = performance.now();
        if (output === 'json') out.write(passRecordJson(ev.snapshot));
        else if (!tui && first) out.write(formatProbeTable(ev.snapshot, { watch }) + '\n');
      }
    };
    if (tui) {
      const { renderProbe } = await import('../tui/render.tsx');
      const boards = new EventChannel<ProbeBoardSnapshot>();
      const feed = (async () => {
        try {
          for await (const ev of events) {
            handle(ev);
            if (ev.type === 'round') boards.push(toBoard(ev.snapshot, performance.now() - t0));
          }
          boards.close();
        } catch (err) {
          boards.close(err);
        }
      })();
      // The board stays until q (when keys can be read); the table printed below is the one --no-tui prints.
      await renderProbe(boards, { title: 'probe', abort, signal: ctx.signal, keepOpen: true });
      abort.abort();
      await feed;
    } else {
      for await (const ev of events) handle(ev);
    }
    // The run is over: nothing records after the last pass, so its snapshot can still be taken.
    const final = (lastRound as { snapshot: ProbeSnapshot } | null)?.snapshot ?? null;
    // The table stays behind after the board closes; in plain --watch it closes the run (the first pass was printed).
    if (final && output !== 'json' && (tui || (watch && final.round > 1))) out.write((tui ? '' : '\n') + formatProbeTable(final, { watch }) + '\n');
    if (!final) return 1;
    return final.counts.down + final.counts.degraded + final.counts.unknown > 0 ? 1 : 0;
  } finally {
    abort.abort(); // ends a verify run in flight
    await verifying;
    stopCerts();
    await server?.close();
    await client.close();
  }
}
