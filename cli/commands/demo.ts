/**
 * `pullpath demo` (and `npm start`): the headline scenario, scenarios/demo.toml, with its mock registries.
 * On a terminal it runs in the TUI; in a pipe, under CI=true or with --no-tui it prints the plain report and
 * exits by itself. Nothing to install and nothing dialled beyond loopback.
 */
import type { RunContext } from '../lifecycle.ts';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRunFlags, runScenarioFiles } from './scenario.ts';

export const help = `Usage: pullpath demo [--no-tui] [--output text|json] [--junit FILE] [--seed N]

Runs the headline scenario (scenarios/demo.toml): quay.io/acme with three mirrors, the first down, the
second never synced, the third healthy. It starts the mock registries on loopback ports, pulls three
images through the real engine and shows every attempt in order, why each failed, which source won,
and the runtime's final error for the image nothing serves. Then checks the scenario's expectations.

Flags:
  --no-tui             plain report even on a terminal (also: CI=true, a pipe, --output)
  -o, --output text|json
                       text report (default) or JSON Lines (see pullpath scenario run --help)
  --junit FILE         also write a JUnit XML report
  --seed N             seed for the mocks' random faults; default 1
  --log-level LEVEL, --debug
                       debug: the runtime's "Trying to access" lines and an HTTP trace
                       on stderr (plain text, no TUI)
  -h, --help           this help

Exit status: 0 the demo behaved as containers/image does, 1 an expectation was not met, 2 bad usage.
`;

/**
 * scenarios/demo.toml, found by walking up from this module so `pullpath demo` works from any folder,
 * whether it runs from source (cli/commands/) or from a bundle (node_modules/.cache/pullpath/ID/ in a checkout,
 * dist/ in the installed package).
 */
export function demoScenarioPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scenarios', 'demo.toml');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return fileURLToPath(new URL('../../scenarios/demo.toml', import.meta.url));
    dir = up;
  }
}

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const { flags } = parseRunFlags(argv, false);
  const abs = demoScenarioPath();
  const rel = relative(process.cwd(), abs);
  const file = rel.startsWith('..') ? abs : rel;
  // On a terminal the demo stays on screen until q, so a new user can move through the attempts.
  const code = await runScenarioFiles([file], { ...flags, keepOpen: true }, ctx.signal);
  if (flags.output === 'text') {
    const next: [string, string][] = [
      ['pullpath scenario run scenarios/*.toml', 'the other situations (blocked sources, digest-only mirrors, auth, …)'],
      [`pullpath mock ${file}`, 'these registries standalone, for skopeo or podman'],
    ];
    const w = Math.max(...next.map(([c]) => c.length));
    process.stdout.write(['', 'Next:', ...next.map(([c, why]) => `  ${c.padEnd(w)}  ${why}`), ''].join('\n'));
  }
  return code;
}
