/**
 * TLS material from certs.d, as containers/image reads it (research containers-image.md §9, classic loader):
 * one directory per physical `host[:port]`, the first that exists among the search roots (never merged);
 * `*.crt` are CAs added to the system trust store, `*.cert`/`*.key` are client pairs.
 * `--cert-dir D` (skopeo's DockerCertPath) is used verbatim for every host.
 */
import { readdir, readFile, stat } from '../fs-async.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PullpathError } from '../errors.ts';

export interface TlsMaterial {
  /** The directory consulted (may not exist: then nothing is loaded, as the runtime does). */
  dir: string;
  /** PEM CA bundles from `*.crt`, in file-name order. Empty: system trust store only. */
  ca: string[];
  /** Client certificate and key (PEM) from a `NAME.cert` / `NAME.key` pair. */
  cert?: string;
  key?: string;
  /** Files that were read, for explanations. */
  files: string[];
}

export interface CertDirOptions {
  /** `--cert-dir`: used verbatim, not per host. */
  certDir?: string;
  /** Search roots (each gets `/HOST[:PORT]` appended); defaults to the runtime's classic list. */
  roots?: string[];
}

/** The runtime's classic search roots: user config, then /etc/containers, then /etc/docker. */
export function defaultCertRoots(home: string = homedir()): string[] {
  return [join(home, '.config/containers/certs.d'), '/etc/containers/certs.d', '/etc/docker/certs.d'];
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false; // missing or unreadable: skipped, as the runtime does
  }
}

/** Picks the certs.d directory for `hostPort` (`host` or `host:port`): the first existing candidate, else the last one. */
export async function findCertDir(hostPort: string, opts: CertDirOptions = {}): Promise<string> {
  if (opts.certDir !== undefined) return opts.certDir;
  const roots = opts.roots ?? defaultCertRoots();
  const candidates = roots.map((r) => join(r, hostPort));
  for (const c of candidates) if (await isDir(c)) return c;
  return candidates[candidates.length - 1] ?? '';
}

/** Thrown when the certs.d content is unusable; the attempt fails and the next source is tried. */
export class CertificateSetupError extends PullpathError {
  constructor(message: string) {
    super('PP_ERR_CERTS', message);
  }
}

/** Reads `dir` as the runtime's SetupCertificates does. A missing or unreadable directory gives no material. */
export async function loadTlsMaterial(dir: string): Promise<TlsMaterial> {
  const out: TlsMaterial = { dir, ca: [], files: [] };
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return out;
  }
  const has = new Set(names);
  for (const name of names) {
    const full = join(dir, name);
    if (name.endsWith('.crt')) {
      out.ca.push(await readFile(full, 'utf8'));
      out.files.push(full);
    } else if (name.endsWith('.cert')) {
      const base = name.slice(0, -'.cert'.length);
      if (!has.has(`${base}.key`)) {
        throw new CertificateSetupError(
          `missing key ${base}.key for client certificate ${name}. Note that CA certificates should use the extension .crt`,
        );
      }
      out.cert = await readFile(full, 'utf8');
      out.key = await readFile(join(dir, `${base}.key`), 'utf8');
      out.files.push(full, join(dir, `${base}.key`));
    } else if (name.endsWith('.key')) {
      const base = name.slice(0, -'.key'.length);
      if (!has.has(`${base}.cert`)) {
        throw new CertificateSetupError(`missing client certificate ${base}.cert for key ${name}`);
      }
    }
  }
  return out;
}
