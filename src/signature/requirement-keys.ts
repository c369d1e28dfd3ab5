/**
 * Key material of a `signedBy` requirement, read as policy_eval_signedby.go reads it: keyPath (one file),
 * keyPaths (several), keyData (base64 in policy.json). Read failures are worded as Go's os.Open words them.
 */
import { readFile } from '../fs-async.ts';
import type { JsonObject } from '../policy/strict-json.ts';

/** keyPath (one file), keyPaths (several), keyData (base64 in policy.json), as policy_eval_signedby.go reads them. */
export async function readRequirementKeys(req: JsonObject): Promise<Uint8Array[]> {
  if (typeof req.keyPath === 'string') return [await readKeyFile(req.keyPath)];
  if (Array.isArray(req.keyPaths)) return Promise.all(req.keyPaths.filter((p): p is string => typeof p === 'string').map(readKeyFile));
  if (typeof req.keyData === 'string') return [new Uint8Array(Buffer.from(req.keyData, 'base64'))];
  return [];
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`open ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
}
