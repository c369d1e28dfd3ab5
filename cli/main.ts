/**
 * pullpath's entry point from the sources (tsx, the tests): the dispatch of cli/run-main.ts, with any command
 * loaded lazily from `cli/commands/NAME.ts`, so `pullpath resolve` never loads Ink. The bundles that
 * bin/pullpath.js runs use cli/run-main.ts with one command each instead (bin/build-cli.mjs).
 */
import { runMain, type Command } from './run-main.ts';

export { COMMAND_NAMES, runMain, topHelpText, usage, type Command, type CommandLoader } from './run-main.ts';

export async function main(argv: string[]): Promise<number> {
  return runMain(argv, async (name) => (await import(`./commands/${name}.ts`)) as Command);
}
