/**
 * One way to read an input file named on the command line, where `-` means standard input (as in
 * `oc get idms -o yaml | pullpath render openshift -`). Standard input can be read only once per process, so
 * a second `-` in the same command is a usage error naming both uses. Messages name it `<stdin>`.
 * File errors are thrown as Node's (ErrnoException) for each caller to word as its format requires.
 */
import { readFile } from './fs-async.ts';
import { UsageError } from './errors.ts';

export const STDIN_ARG = '-';
/** The name standard input goes by in messages and origins. */
export const STDIN_NAME = '<stdin>';

export function isStdinArg(path: string | undefined): boolean {
  return path === STDIN_ARG;
}

export interface InputText {
  /** The file's path, or `<stdin>`. */
  path: string;
  text: string;
}

type StdinReader = () => Promise<string>;

let claimedBy: string | null = null;
let reader: StdinReader = readProcessStdin;

/**
 * Reads `path`, or standard input when it is `-`. `use` says what it is read for (`--policy`,
 * `render openshift FILE`), for the message when standard input is asked for twice.
 */
export async function readInput(path: string, use: string): Promise<InputText> {
  if (!isStdinArg(path)) return { path, text: await readFile(path, 'utf8') };
  if (claimedBy !== null) {
    throw new UsageError(`standard input ("-") given twice, for ${claimedBy} and for ${use}: it can be read only once; save one of them to a file`);
  }
  claimedBy = use;
  return { path: STDIN_NAME, text: await reader() };
}

async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('reading standard input (end it with Ctrl-D)\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Tests: serve standard input from `text` (or the real one with null), and forget any earlier read. */
export function setStdinForTests(text: string | null): void {
  claimedBy = null;
  reader = text === null ? readProcessStdin : async () => text;
}

/**
 * Refuses a command line that names standard input more than once (`--openshift - --policy -`), before
 * anything is read. `values` and `positionals` are what node:util parseArgs returns.
 */
export function assertOneStdin(values: Record<string, unknown>, positionals: readonly string[]): void {
  const uses: string[] = [];
  for (const [flag, v] of Object.entries(values)) {
    for (const x of Array.isArray(v) ? v : [v]) if (isStdinArg(x as string)) uses.push(`--${flag}`);
  }
  for (const p of positionals) if (isStdinArg(p)) uses.push('a FILE argument');
  if (uses.length > 1) {
    throw new UsageError(`standard input ("-") given ${uses.length} times (${uses.join(', ')}): it can be read only once; save all but one to files`);
  }
}
