/**
 * `--images FILE` / `--release FILE` (verify, diff): read the file (`-` is standard input) and parse it as an
 * image list or a release listing. Says on stderr what was skipped or assumed, so a count that looks short can be
 * explained (stdout is the report). A file that cannot be read is a ConfigError naming it (exit 2).
 */
import { ConfigError, UsageError } from '../src/errors.ts';
import { readInput } from '../src/read-input.ts';
import { parseImageListDetailed } from '../src/verify/image-list.ts';

export async function readImageList(path: string, requireDigest: boolean, command: string): Promise<string[]> {
  let text: string;
  let name: string;
  try {
    ({ path: name, text } = await readInput(path, requireDigest ? '--release' : '--images'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new ConfigError(`cannot read image list ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: path, code: 'PP_ERR_IMAGE_LIST' });
  }
  const list = parseImageListDetailed(text, name, { requireDigest });
  if (list.skippedHeaderLines > 0) process.stderr.write(`pullpath ${command}: ${name}: ${list.images.length} image(s) read, ${list.skippedHeaderLines} header line(s) skipped\n`);
  for (const note of list.notes) process.stderr.write(`pullpath ${command}: ${note}\n`);
  return list.images.map((x) => x.ref);
}
