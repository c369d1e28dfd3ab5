/**
 * The only file access of src/policy: finds and reads policy.json the way containers/image's
 * `DefaultPolicy` does (`$HOME/.config/containers/policy.json` if it exists, else
 * `/etc/containers/policy.json`), unless a path is given.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../errors.ts';
import { readInput } from '../read-input.ts';
import { parsePolicy } from './parse.ts';
import type { Policy } from './types.ts';

export const SYSTEM_POLICY_PATH = '/etc/containers/policy.json';

export function defaultPolicyPath(home = process.env.HOME ?? homedir()): string {
  const user = join(home, '.config', 'containers', 'policy.json');
  return existsSync(user) ? user : SYSTEM_POLICY_PATH;
}

export async function loadPolicyFile(path: string = defaultPolicyPath()): Promise<Policy> {
  let text: string;
  let name = path;
  try {
    ({ path: name, text } = await readInput(path, '--policy'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new ConfigError(`reading policy file ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (give one with --policy FILE)' : (err as Error).message}`, {
      file: path,
      code: 'PP_ERR_POLICY',
    });
  }
  return parsePolicy(text, name);
}
