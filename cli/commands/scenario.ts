/**
 * `pullpath scenario run FILE...`: runs declarative scenarios (mock registries + real engine) and checks
 * their expectations. Exit 0 all met, 1 an expectation failed, 2 a file is invalid, 130 stopped by Ctrl-C.
 * `runScenarioFiles` is shared with `pullpath demo`.
 */
import { logFlagOptions, logFlagsHelp, parseLogLevel } from '../trace/log-level.ts';
import { createAttemptLogger } from '../trace/attempt-log.ts';
import { startHttpTrace } from '../trace/http-trace.ts';
import { linkedController, type RunContext } from '../lifecycle.ts';
import { outputFlag, parseCommandArgs } from '../args.ts';
import { writeFile } from '../../src/fs-async.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { EventChannel } from '../../src/pull/event-channel.ts';
import { formatJunit } from '../../src/report/junit.ts';
import { formatScenarioJsonLines } from '../../src/report/scenario-json.ts';
import { formatScenarioText, formatScenarioTotals } from '../../src/report/scenario-text.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { prepareScenario, type PreparedScenario } from '../../src/scenario/prepare.ts';
import { runScenario, startScenario } from '../../src/scenario/run.ts';
import type { PullRunReport, ScenarioReport } from '../../src/scenario/types.ts';
import { shouldUseTui } from '../tui/should-use-tui.ts';
import type { ScenarioExpectation } from '../tui/view-models.ts';

export const help = `Usage: pullpath scenario run FILE... [--output text|json] [--junit FILE] [--no-tui] [--seed N]

Runs each scenario file: starts its mock registries on loopback ports, routes the host names of its
registries.conf to them (nothing else is dialled), trusts their CA through a temporary certs.d folder,
writes its auth.json to a private temporary file, runs its pulls through the real engine, checks every
expectation (outcome, winning source, the exact attempt order, error class and text, time), stops
everything and prints a report. The scenario format is described in scenarios/README.md.

Flags:
  -o, --output text|json
                       text report (default), or JSON Lines: one {"type":"pull",…} object per pull run
                       (attempts, result, expectations) and one {"type":"scenario",…} per file
  --junit FILE         also write a JUnit XML report (one testsuite per scenario, one testcase per pull)
  --no-tui             plain report even on a terminal (also: CI=true, a pipe, any --output);
                       on a terminal the run is shown live in the TUI until q, then this same report
  --seed N             seed for the mocks' random faults (flaky, latency distributions); default 1
  -h, --help           this help

Scenario secrets (auth-json, mock passwords) are never printed.

${logFlagsHelp}

Exit status: 0 every expectation met, 1 an expectation not met, 130 stopped by Ctrl-C,
2 bad usage or an invalid scenario file (the message names the file, the key and what was expected).
`;

export interface ScenarioRunFlags {
  output: 'text' | 'json';
  junit?: string;
  noTui: boolean;
  seed?: number;
  /** TUI only: keep the screen open after the run until q (default true, as every TUI view; false closes it when the run ends). */
  keepOpen?: boolean;
  /** `--output` was given: plain output even on a terminal (the house convention). */
  explicitOutput?: boolean;
  /** `--log-level debug` / `--debug`: the runtime's lines and the HTTP trace on stderr (plain text only). */
  debug?: boolean;
}

/** Loads and prepares every file first, so an invalid file exits 2 before anything runs. */
async function prepareAll(files: readonly string[]): Promise<PreparedScenario[]> {
  const prepared: PreparedScenario[] = [];
  for (const f of files) prepared.push(prepareScenario(await loadScenario(f)));
  return prepared;
}

/** What the TUI shows for one checked pull run: one line per pull, with its unmet expectations. */
function expectationView(run: PullRunReport): ScenarioExpectation {
  const failed = run.expectations.filter((x) => !x.ok);
  const detail =
    failed.length === 0
      ? `${run.expectations.length} expectation(s) met`
      : failed.map((x) => `${x.key}: expected ${x.expected}, got ${x.actual}`).join('; ');
  return { name: `${run.key} ${run.ref}`, met: run.ok, detail };
}

async function runWithTui(p: PreparedScenario, flags: ScenarioRunFlags, signal: AbortSignal): Promise<ScenarioReport> {
  const seed = flags.seed;
  const { renderPull } = await import('../tui/render.tsx');
  const abort = linkedController(signal);
  const views = new EventChannel<readonly ScenarioExpectation[]>();
  const met: ScenarioExpectation[] = [];
  const run = startScenario(p, {
    signal: abort.signal,
    ...(seed !== undefined ? { seed } : {}),
    onPullChecked: (r) => {
      met.push(expectationView(r));
      views.push([...met]);
    },
  });
  void run.report.finally(() => views.close());
  await renderPull(run.events, { title: `scenario ${p.scenario.name}`, abort, signal, expectations: views, printSummary: false, keepOpen: flags.keepOpen !== false });
  return run.report;
}

/**
 * Runs scenario files and prints their reports; returns the exit code.
 * @param files scenario paths; `flags.output`/`noTui` choose the view.
 * @param signal the run's (cli/lifecycle.ts): Ctrl-C or a closed output cancels the scenario in flight and skips the rest.
 */
export async function runScenarioFiles(files: readonly string[], flags: ScenarioRunFlags, signal: AbortSignal): Promise<number> {
  let prepared: PreparedScenario[];
  try {
    prepared = await prepareAll(files);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`pullpath scenario: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // A mock-only scenario is valid (`pullpath mock` serves it) but gives `run` nothing to check.
  const empty = prepared.filter((p) => p.scenario.pulls.length === 0);
  if (empty.length > 0) {
    for (const p of empty) process.stderr.write(`pullpath scenario: ${p.scenario.file}: nothing to run: it has no [[pull]] tables (a mock-only scenario: serve its registries with pullpath mock ${p.scenario.file})\n`);
    return 2;
  }
  const tui = shouldUseTui({
    stdout: process.stdout,
    env: process.env,
    flags: { noTui: flags.noTui || flags.debug === true, output: flags.explicitOutput ? flags.output : undefined },
  });
  const reports: ScenarioReport[] = [];
  for (const p of prepared) {
    if (signal.aborted) break;
    const stopTrace = flags.debug === true ? startHttpTrace({ write: (s) => process.stderr.write(s) }) : () => {};
    const report = tui
      ? await runWithTui(p, flags, signal).finally(stopTrace)
      : await runScenario(p, { signal, ...(flags.seed !== undefined ? { seed: flags.seed } : {}) }).finally(stopTrace);
    // The runtime's lines per pull run, from its events (after the run: the report holds them in order).
    if (flags.debug === true) for (const run of report.pulls) run.events.forEach(createAttemptLogger((s) => process.stderr.write(s)));
    reports.push(report);
    // After the TUI, the same report as --no-tui, on the normal screen.
    const text = formatScenarioText(report) + (prepared.length > 1 ? '\n' : '');
    process.stdout.write(flags.output === 'json' ? formatScenarioJsonLines(report) : text);
  }
  if (flags.output === 'text' && reports.length > 1) process.stdout.write(formatScenarioTotals(reports));
  if (flags.junit !== undefined) await writeFile(flags.junit, formatJunit(reports));
  return reports.length === prepared.length && reports.every((r) => r.ok) ? 0 : 1;
}

export function parseRunFlags(argv: string[], allowFiles: boolean): { files: string[]; flags: ScenarioRunFlags } {
  const parsed = parseCommandArgs({
    args: argv,
    options: { output: { type: 'string' }, junit: { type: 'string' }, 'no-tui': { type: 'boolean' }, seed: { type: 'string' }, ...logFlagOptions },
    allowPositionals: allowFiles,
  });
  const { values, positionals } = parsed;
  const output = outputFlag(values.output) ?? 'text';
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed: expected an integer, got "${values.seed}"`);
  }
  const flags: ScenarioRunFlags = { output, noTui: values['no-tui'] === true, explicitOutput: values.output !== undefined };
  if (values.junit !== undefined) flags.junit = values.junit;
  if (seed !== undefined) flags.seed = seed;
  if (parseLogLevel(values) === 'debug') flags.debug = true;
  return { files: positionals, flags };
}

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'run') throw new UsageError(sub === undefined ? 'expected a subcommand: scenario run FILE...' : `unknown subcommand "${sub}"; expected: scenario run FILE...`);
  const { files, flags } = parseRunFlags(rest, true);
  if (files.length === 0) throw new UsageError('scenario run: expected at least one scenario FILE (e.g. scenarios/demo.toml)');
  return runScenarioFiles(files, flags, ctx.signal);
}
