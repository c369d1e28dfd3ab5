/**
 * The I/O edge of sigstoreSigned: reads the files a requirement names (keyPath, keyPaths, fulcio.caPath,
 * rekorPublicKeyPath(s), pki.caRootsPath / caIntermediatesPath) into the byte fields verifySigstoreSigned
 * takes. Read failures are reported as Go's os.ReadFile words (`open PATH: no such file or directory`), which
 * the runtime returns from prepareTrustRoot (signature/policy_eval_sigstore.go loadBytesFromConfigSources).
 */
import { readFile as fsReadFile } from '../fs-async.ts';
import type { SigstoreVerifyInput } from './sigstore-verify.ts';

type JsonObject = Record<string, unknown>;
export type TrustMaterial = Pick<SigstoreVerifyInput, 'keys' | 'fulcioCA' | 'rekorKeys' | 'pkiRoots' | 'pkiIntermediates'>;

const GO_ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
};

export class TrustFileError extends Error {}

async function read(path: string, readFile: (p: string) => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // os.ReadFile of a directory fails at read, not open.
    if (code === 'EISDIR') throw new TrustFileError(`read ${path}: is a directory`);
    throw new TrustFileError(`open ${path}: ${GO_ERRNO[code] ?? (e as Error).message}`);
  }
}

/** Reads every *Path of the requirement; fields given as *Data are left to verifySigstoreSigned. */
export async function readSigstoreTrustMaterial(req: JsonObject, readFile: (p: string) => Promise<Uint8Array> = fsReadFile): Promise<TrustMaterial> {
  const out: TrustMaterial = { keys: [] };
  if (typeof req.keyPath === 'string') out.keys.push(await read(req.keyPath, readFile));
  if (Array.isArray(req.keyPaths)) for (const p of req.keyPaths) out.keys.push(await read(String(p), readFile));
  const f = req.fulcio as JsonObject | undefined;
  if (f && typeof f.caPath === 'string') out.fulcioCA = await read(f.caPath, readFile);
  const rekor: Uint8Array[] = [];
  if (typeof req.rekorPublicKeyPath === 'string') rekor.push(await read(req.rekorPublicKeyPath, readFile));
  if (Array.isArray(req.rekorPublicKeyPaths)) for (const p of req.rekorPublicKeyPaths) rekor.push(await read(String(p), readFile));
  if (rekor.length) out.rekorKeys = rekor;
  const p = req.pki as JsonObject | undefined;
  if (p && typeof p.caRootsPath === 'string') out.pkiRoots = await read(p.caRootsPath, readFile);
  if (p && typeof p.caIntermediatesPath === 'string') out.pkiIntermediates = await read(p.caIntermediatesPath, readFile);
  return out;
}
