/**
 * Whether a command should draw the TUI: only for a person at a terminal. Pipes, CI,
 * `--no-tui` and any `--output` (json, text) get plain output.
 */

export interface TuiDecisionInput {
  stdout: { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  flags: { noTui?: boolean; 'no-tui'?: boolean; tui?: boolean; output?: string | undefined };
}

export function shouldUseTui({ stdout, env, flags }: TuiDecisionInput): boolean {
  if (stdout.isTTY !== true) return false;
  if (flags.noTui === true || flags['no-tui'] === true || flags.tui === false) return false;
  if (flags.output !== undefined && flags.output !== '') return false;
  const ci = env['CI'];
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  if (env['TERM'] === 'dumb') return false;
  return true;
}
