/**
 * pullpath's command dispatch: picks the command and hands it the remaining arguments.
 * Each command lives in `cli/commands/NAME.ts` and exports `run(argv): Promise<number>` (the exit code)
 * and `help: string`. How a command's module is loaded is the caller's: cli/main.ts loads any command lazily
 * (the sources, tsx), and each per-command bundle (bin/build-cli.mjs) loads only its own, so that a bundle holds
 * one command's code and nothing of the others'.
 */
import { UsageError, PullpathError } from '../src/errors.ts';
import { fitHelp, HELP_WIDTH } from './help-text.ts';
import { closest } from '../src/did-you-mean.ts';
import { endRun, guardOutput, startRun, type RunContext } from './lifecycle.ts';
import { applyWasmTiering, wasmTieringFor } from './wasm-tiering.ts';

export interface Command {
  help: string;
  /** `run.signal` fires on Ctrl-C or a closed output (cli/lifecycle.ts); the exit code is then 130 or 141. */
  run(argv: string[], run: RunContext): Promise<number>;
}

const COMMANDS: Record<string, { summary: string }> = {
  resolve: { summary: 'show where a pull goes, offline, and why' },
  lint: { summary: 'check registries.conf and drop-ins for errors and pitfalls' },
  pull: { summary: 'pull manifests for real, attempt by attempt' },
  render: { summary: 'render OpenShift cluster objects to node files' },
  convert: { summary: 'convert registries.conf to containerd hosts.toml and back, naming what is lost' },
  diff: { summary: 'what a configuration change does: changed pulls, node impact' },
  policy: { summary: 'evaluate policy.json for references' },
  mock: { summary: "run a scenario's mock registries standalone" },
  scenario: { summary: 'run declarative scenarios and check their expectations' },
  demo: { summary: 'run the headline scenario with its mock registries' },
  verify: { summary: 'prove a disconnected setup serves every image from mirrors' },
  probe: { summary: 'probe the health of every endpoint a config can send pulls to' },
  load: { summary: 'load-test mirror failover' },
  explain: { summary: 'explain a failed pull from its error text (kubelet event, podman, skopeo)' },
};

/** The command names, in the order `pullpath --help` lists them. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'pullpath: where a container image pull goes, and whether its mirrors hold.',
    '',
    'Usage: pullpath COMMAND [flags] [ARG...]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `pullpath help COMMAND` (or `pullpath COMMAND --help`) for the flags of a command.',
  ].join('\n');
}

/** `pullpath --help` as printed at `width` columns; the bundle build saves it at 80 for the launcher (bin/build-cli.mjs). */
export function topHelpText(width = HELP_WIDTH): string {
  return fitHelp(usage(), width);
}

/** What every command does on Ctrl-C and on a closed output (cli/lifecycle.ts): said once, under each help. */
const STOP_NOTE =
  'Every command: Ctrl-C stops the work in flight, prints the summary so far and exits 130; a closed output ' +
  '(`| head`) ends it quietly with exit 141, as jq and skopeo end.';

function commandHelp(command: Command): string {
  return `${command.help.trimEnd()}\n\n${STOP_NOTE}\n`;
}

/** Help is wrapped to the terminal when it is narrower than 80 columns, else to 80. */
function helpWidth(): number {
  const cols = process.stdout.isTTY === true ? process.stdout.columns : undefined;
  return cols !== undefined && cols >= 40 && cols < HELP_WIDTH ? cols : HELP_WIDTH;
}

/** Loads the module of command `name` (one of COMMAND_NAMES); rejects when it cannot. */
export type CommandLoader = (name: string) => Promise<Command>;

/** The command's module, or undefined (with the reason written) when it cannot be loaded. */
async function loadCommand(load: CommandLoader, name: string): Promise<Command | undefined> {
  try {
    return await load(name);
  } catch (err) {
    process.stderr.write(`pullpath: command "${name}" is not available: ${(err as Error).message}\n`);
    return undefined;
  }
}

/** `unknown command "reslove"; did you mean "resolve"?`, or the command list when nothing is close. */
function unknownCommand(name: string): number {
  const suggestion = closest(name, [...Object.keys(COMMANDS), 'help']);
  if (suggestion !== undefined) {
    process.stderr.write(`pullpath: unknown command "${name}"; did you mean "${suggestion}"?\nRun \`pullpath --help\` for the commands.\n`);
  } else {
    process.stderr.write(`pullpath: unknown command "${name}"\n\n${fitHelp(usage(), helpWidth())}`);
  }
  return 2;
}

/** Runs `pullpath ARGV…` with commands loaded by `load`; the exit code. */
export async function runMain(argv: string[], load: CommandLoader): Promise<number> {
  guardOutput(); // `pullpath --help | head -1` too: a closed pipe never prints a stack trace
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0 && rest[0] !== 'help') {
    // `pullpath help CMD`, as git and podman have it.
    const topic = rest[0]!;
    if (COMMANDS[topic] === undefined) return unknownCommand(topic);
    const command = await loadCommand(load, topic);
    if (command === undefined) return 2;
    process.stdout.write(fitHelp(commandHelp(command), helpWidth()));
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelpText(helpWidth()));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write('pullpath 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    if (name.startsWith('-')) {
      process.stderr.write(`pullpath: flags go after the command: pullpath COMMAND ${argv.join(' ')}; run \`pullpath --help\` for the commands\n`);
      return 2;
    }
    return unknownCommand(name);
  }
  const tiering = wasmTieringFor(name, rest);
  applyWasmTiering(tiering);
  if (process.env.PULLPATH_STARTUP_TRACE === '1') process.stderr.write(`pullpath-startup: wasm ${tiering}\n`);
  const command = await loadCommand(load, name);
  if (command === undefined) return 2;
  if (process.env.PULLPATH_STARTUP_TRACE === 'time') process.stderr.write(`pullpath-startup: command loaded (at ${performance.now().toFixed(1)} ms)\n`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(fitHelp(commandHelp(command), helpWidth()));
    return 0;
  }
  const lifecycle = startRun();
  try {
    return lifecycle.exitCode(await command.run(rest, lifecycle));
  } catch (err) {
    // Stopped by Ctrl-C or a closed output while failing: the stop is the answer, and its exit code.
    if (lifecycle.cause !== null) return lifecycle.exitCode(2);
    if (err instanceof UsageError) {
      process.stderr.write(`pullpath ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof PullpathError) {
      process.stderr.write(`pullpath ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`pullpath ${name}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 2;
  } finally {
    endRun(lifecycle);
  }
}
