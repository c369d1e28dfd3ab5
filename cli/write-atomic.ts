/**
 * Writes a whole file, then renames it into place, so a reader polling the path (node_exporter's textfile
 * collector) never sees half of it. The temporary file sits beside the target: a rename is atomic only
 * within one file system. A path that cannot be written is a ConfigError naming the flag.
 */
import { rename, rm, writeFile } from '../src/fs-async.ts';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../src/errors.ts';

export async function writeFileAtomic(path: string, text: string, flag: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new ConfigError(`${flag} ${path}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: path });
  }
}
