/**
 * The I/O edge of the containerd model: reads hosts directory roots (and config.toml) into the texts
 * containerdSetupFromTexts takes. A root that does not exist is read as empty (containerd's stat fails and it
 * moves on); anything else that cannot be read is an error naming the path.
 */
import { readFile } from '../fs-async.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostsDirInput } from './setup.ts';

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Reads one root: every subdirectory, its hosts.toml (or null) and, where they matter, its other file names.
 * Synchronous reads on purpose: thousands of small files read an order of magnitude faster than through the
 * promise API's thread pool (10,000 directories in ~0.3 s instead of ~3 s). A directory is listed only when
 * its files can matter: no hosts.toml (Docker-style *.crt/*.cert/*.key are then used), a file that names `ca`
 * or `client` (to tell a missing file), or one without any [host (likely ignored, with the same fallback).
 */
export async function readHostsDir(dir: string): Promise<HostsDirInput> {
  return readHostsDirSync(dir);
}

export function readHostsDirSync(dir: string): HostsDirInput {
  const out: HostsDirInput = { dir, hosts: {}, files: {} };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return out;
    throw err;
  }
  for (const e of entries) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    const sub = join(dir, e.name);
    const path = join(sub, 'hosts.toml');
    let text: string | null = null;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a symlink to a file, not a directory; EISDIR: hosts.toml is a directory (containerd fails to read it).
      if (code === 'ENOTDIR') continue;
      if (code !== 'ENOENT' && code !== 'EISDIR') throw err;
    }
    out.hosts[e.name] = text === null ? null : { path, text };
    if (text === null || /^\s*(ca|client)\s*=/m.test(text) || !text.includes('[host')) {
      try {
        out.files![e.name] = readdirSync(sub).filter((n) => n !== 'hosts.toml');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
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
