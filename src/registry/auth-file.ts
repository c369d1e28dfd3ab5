/**
 * Credentials from containers-auth.json (and Docker's config.json), looked up as containers/image does:
 * files in the runtime's order, the first file holding any matching key wins, and inside a file the most
 * specific key wins (`host/ns/repo`, then `host/ns`, then `host`). Lookups use the PHYSICAL reference,
 * so a mirror uses its own host's entry and never the source's.
 * Secrets live only in `Credentials`; nothing here formats them, and `describeCredentials` shows where
 * they came from without their value.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

export interface Credentials {
  username: string;
  password: string;
  /** OAuth2 refresh token (`identitytoken`), if any. */
  identityToken?: string;
  /** Where they came from: file and key (never the secret). */
  file: string;
  key: string;
}

export interface AuthFileOptions {
  /** `--authfile`. */
  authFile?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  uid?: number;
}

/** The files the runtime reads, in order. `--authfile` or REGISTRY_AUTH_FILE replace the default list. */
export function authFilePaths(opts: AuthFileOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  const explicit = opts.authFile ?? env.REGISTRY_AUTH_FILE;
  if (explicit) return [explicit];
  const runtimeDir = env.XDG_RUNTIME_DIR;
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const first = runtimeDir ? join(runtimeDir, 'containers/auth.json') : `/run/containers/${uid}/auth.json`;
  const xdgConfig = env.XDG_CONFIG_HOME || join(home, '.config');
  const docker = env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(home, '.docker/config.json');
  return [first, join(xdgConfig, 'containers/auth.json'), docker];
}

interface AuthEntry {
  auth?: string;
  identitytoken?: string;
}

/** The runtime's key normalization: scheme-prefixed keys are cut to their host; docker.io spellings unified. */
export function normalizeAuthKey(key: string): string {
  let stripped = key.replace(/^https?:\/\//, '');
  if (stripped !== key) stripped = stripped.split('/')[0]!;
  return stripped === 'registry-1.docker.io' || stripped === 'docker.io' ? 'index.docker.io' : stripped;
}

/** Keys to try for a repository name `host/ns/repo`, most specific first. */
export function authKeysFor(repoName: string): string[] {
  const parts = repoName.split('/');
  const keys: string[] = [];
  for (let i = parts.length; i >= 2; i--) keys.push(parts.slice(0, i).join('/'));
  keys.push(normalizeAuthKey(parts[0]!));
  return keys;
}

/** Loaded auth files; `lookup` answers for one physical repository name. */
export class CredentialStore {
  private readonly files: { path: string; auths: Map<string, { key: string; entry: AuthEntry }> }[];
  constructor(files: { path: string; auths: Map<string, { key: string; entry: AuthEntry }> }[]) {
    this.files = files;
  }

  static empty(): CredentialStore {
    return new CredentialStore([]);
  }

  /** Reads the files (missing files are skipped). Malformed JSON is a ConfigError naming the file. */
  static async load(opts: AuthFileOptions = {}): Promise<CredentialStore> {
    const files = [];
    for (const path of authFilePaths(opts)) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
        throw new ConfigError(`reading auth file ${path}: ${(err as Error).message}`, { file: path, code: 'PP_ERR_AUTHFILE' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        // The parser's message may quote file content; keep only its position, never the text.
        const where = /position \d+/.exec((err as Error).message)?.[0] ?? 'somewhere';
        throw new ConfigError(`auth file ${path} is not valid JSON (error at ${where}); expected {"auths": {"HOST": {"auth": "…"}}}`, {
          file: path,
          code: 'PP_ERR_AUTHFILE',
        });
      }
      const auths = new Map<string, { key: string; entry: AuthEntry }>();
      const raw = (parsed as { auths?: Record<string, AuthEntry> } | null)?.auths;
      if (raw && typeof raw === 'object') {
        for (const [key, entry] of Object.entries(raw)) {
          if (!entry || typeof entry !== 'object') continue;
          // The runtime refuses such a file (JSON unmarshal into strings); say where, never the value.
          for (const field of ['auth', 'identitytoken'] as const) {
            const v = (entry as Record<string, unknown>)[field];
            if (v !== undefined && typeof v !== 'string') {
              throw new ConfigError(`auth file ${path}: auths[${JSON.stringify(key)}].${field}: expected a string, got ${v === null ? 'null' : typeof v}`, {
                file: path,
                code: 'PP_ERR_AUTHFILE',
              });
            }
          }
          auths.set(normalizeAuthKey(key), { key, entry });
        }
      }
      files.push({ path, auths });
    }
    return new CredentialStore(files);
  }

  /** Credentials for `host/ns/repo`, or null (anonymous). */
  lookup(repoName: string): Credentials | null {
    if (this.files.length === 0) return null; // no auth file: anonymous, without building the keys per ping
    const keys = authKeysFor(repoName);
    for (const file of this.files) {
      for (const k of keys) {
        const hit = file.auths.get(k);
        if (!hit) continue;
        const decoded = decodeAuth(hit.entry.auth);
        if (!decoded && !hit.entry.identitytoken) continue; // empty marker (credential helper): move on
        return {
          username: decoded?.username ?? '',
          password: decoded?.password ?? '',
          ...(hit.entry.identitytoken ? { identityToken: hit.entry.identitytoken } : {}),
          file: file.path,
          key: hit.key,
        };
      }
    }
    return null;
  }
}

function decodeAuth(auth: string | undefined): { username: string; password: string } | null {
  if (!auth) return null;
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return null;
  return { username: text.slice(0, i), password: text.slice(i + 1).replace(/^\0+|\0+$/g, '') };
}

/** For explanations: "user alice from /path/auth.json (key quay.io/org)". Never the password or token. */
export function describeCredentials(c: Credentials | null): string {
  if (!c) return 'anonymous';
  return `${c.username ? `user ${c.username}` : 'identity token'} from ${c.file} (key ${c.key})`;
}
