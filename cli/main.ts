/**
 * pullpath's entry point: picks the command and hands it the remaining arguments.
 * Each command lives in `cli/commands/NAME.ts` and exports `run(argv): Promise<number>` (the exit code)
 * and `help: string`. Commands are loaded lazily so `pullpath resolve` never loads Ink.
 */
import { UsageError, PullpathError } from '../src/errors.ts';
import { endRun, guardOutput, startRun, type RunContext } from './lifecycle.ts';

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
  policy: { summary: 'evaluate policy.json for references' },
  mock: { summary: "run a scenario's mock registries standalone" },
  scenario: { summary: 'run declarative scenarios and check their expectations' },
  demo: { summary: 'run the headline scenario with its mock registries' },
  verify: { summary: 'prove a disconnected setup serves every image from mirrors' },
  probe: { summary: 'probe the health of every endpoint a config can send pulls to' },
  load: { summary: 'load-test mirror failover' },
};

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
    'Run `pullpath COMMAND --help` for the flags of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  guardOutput(); // `pullpath --help | head -1` too: a closed pipe never prints a stack trace
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write('pullpath 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    process.stderr.write(`pullpath: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  let command: Command;
  try {
    command = (await import(`./commands/${name}.ts`)) as Command;
  } catch (err) {
    process.stderr.write(`pullpath: command "${name}" is not available: ${(err as Error).message}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help.trimEnd() + '\n');
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
