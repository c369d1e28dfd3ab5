/**
 * The I/O edge of the containerd model: reads hosts directory roots (and config.toml) into the texts
 * containerdSetupFromTexts takes. A root that does not exist is read as empty (containerd's stat fails and it
 * moves on); anything else that cannot be read is an error naming the path.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostsDirInput } from './setup.ts';

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads one root: every subdirectory, its hosts.toml (or null) and its other file names. */
export async function readHostsDir(dir: string): Promise<HostsDirInput> {
  const out: HostsDirInput = { dir, hosts: {}, files: {} };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return out;
    throw err;
  }
  const subdirs = entries.filter((e) => e.isDirectory() || e.isSymbolicLink());
  // Bounded parallel reads: a 10,000-directory tree reads in a few hundred milliseconds.
  const limit = 64;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < subdirs.length) {
      const e = subdirs[next++]!;
      const sub = join(dir, e.name);
      let names: string[];
      try {
        names = await readdir(sub);
      } catch (err) {
        if (isNotFound(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
        throw err;
      }
      const path = join(sub, 'hosts.toml');
      out.hosts[e.name] = names.includes('hosts.toml') ? { path, text: await readFile(path, 'utf8') } : null;
      out.files![e.name] = names.filter((n) => n !== 'hosts.toml');
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, subdirs.length) }, worker));
  return out;
}

/** Reads several roots in order (containerd's colon-separated `config_path`). */
export async function readHostsDirs(dirs: string[]): Promise<HostsDirInput[]> {
  return Promise.all(dirs.map((d) => readHostsDir(d)));
}

/** config.toml text, or null when it does not exist. */
export async function readContainerdConfig(path: string): Promise<{ path: string; text: string } | null> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
