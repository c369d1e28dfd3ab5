/**
 * Auth files (containers-auth.json, Docker's config.json, the legacy ~/.dockercfg): where the runtime looks
 * for them and what one file answers for a repository, as containers/image 5.23 pkg/docker/config
 * (getAuthFilePaths, findCredentialsInFile):
 * - a `credHelpers` entry for the registry host wins inside its file (helpers are keyed by host only);
 * - then the exact keys `host/ns/repo`, `host/ns`, `host`, most specific first; the FIRST key present decides,
 *   even when its entry holds no usable `auth` (Docker's `{}` helper marker): that file then answers nothing;
 * - then, only if no exact key exists, any key that normalizes to the host (`https://host/v1/`, docker.io's
 *   spellings: index.docker.io, registry-1.docker.io, docker.io);
 * - `credsStore` is not read by containers/image (any version): it is noted, never used.
 * Secrets stay inside `FileAnswer.credentials`; nothing here formats them.
 *
 * The lookup across files and helpers, and the credentials a mirror gets, are in credential-store.ts.
 */
import { readFile } from '../fs-async.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

export { CredentialStore, describeCredentials } from './credential-store.ts';
export type { Credentials, CredentialLookup, CredentialSource, CredentialStoreOptions } from './credential-store.ts';

export interface AuthFileOptions {
  /** `--authfile`. */
  authFile?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  uid?: number;
}

export interface AuthFilePath {
  path: string;
  /** ~/.dockercfg: the map of entries at the top level, keys matched by host only. */
  legacy: boolean;
}

/**
 * The files the runtime reads, in order. `--authfile` or REGISTRY_AUTH_FILE replace only the FIRST file
 * (${XDG_RUNTIME_DIR}/containers/auth.json): the user and Docker files are still read after it, as
 * getAuthFilePaths does.
 */
export function authFileList(opts: AuthFileOptions = {}): AuthFilePath[] {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  const explicit = opts.authFile || env.REGISTRY_AUTH_FILE;
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const first = explicit ? explicit : env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers/auth.json') : `/run/containers/${uid}/auth.json`;
  const xdgConfig = env.XDG_CONFIG_HOME || join(home, '.config');
  const docker = env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(home, '.docker/config.json');
  return [
    { path: first, legacy: false },
    { path: join(xdgConfig, 'containers/auth.json'), legacy: false },
    { path: docker, legacy: false },
    { path: join(home, '.dockercfg'), legacy: true },
  ];
}

/** The paths of `authFileList`, for help texts and explanations. */
export function authFilePaths(opts: AuthFileOptions = {}): string[] {
  return authFileList(opts).map((f) => f.path);
}

interface AuthEntry {
  auth?: string;
  identitytoken?: string;
}

/** One auth file as read. */
export interface AuthFile {
  path: string;
  legacy: boolean;
  /** Keys as written, in file order. */
  auths: Map<string, AuthEntry>;
  /** `credHelpers`: host → helper name (docker-credential-NAME). */
  credHelpers: Map<string, string>;
  /** `credsStore`, which the runtime ignores (kept to say so). */
  credsStore: string | null;
}

/** The runtime's normalization of a registry host: docker.io's spellings become index.docker.io. */
export function normalizeRegistry(host: string): string {
  return host === 'registry-1.docker.io' || host === 'docker.io' ? 'index.docker.io' : host;
}

/** normalizeAuthFileKey: scheme-prefixed (and legacy) keys are cut to their host, then normalized. */
export function normalizeAuthKey(key: string, legacy = false): string {
  let stripped = key.replace(/^http:\/\//, '');
  stripped = stripped.replace(/^https:\/\//, '');
  if (legacy || stripped !== key) stripped = stripped.split('/')[0]!;
  return normalizeRegistry(stripped);
}

/** Exact keys to try for a repository name `host/ns/repo`, most specific first (authKeysForKey). */
export function authKeysFor(repoName: string): string[] {
  const keys: string[] = [];
  let k = repoName;
  for (;;) {
    keys.push(k);
    const slash = k.lastIndexOf('/');
    if (slash < 0) break;
    k = k.slice(0, slash);
  }
  return keys;
}

export function hostOf(repoName: string): string {
  const slash = repoName.indexOf('/');
  return slash < 0 ? repoName : repoName.slice(0, slash);
}

/** Reads one file; a missing file is null (the runtime treats it as empty). Errors name the file, never its text. */
export async function readAuthFile(p: AuthFilePath): Promise<AuthFile | null> {
  let text: string;
  try {
    text = await readFile(p.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new ConfigError(`reading auth file ${p.path}: ${(err as Error).message}`, { file: p.path, code: 'PP_ERR_AUTHFILE' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // The parser's message may quote file content (a secret): keep only where it failed, never the text.
    throw new ConfigError(`auth file ${p.path} is not valid JSON (${jsonErrorPlace(text, (err as Error).message)}); expected {"auths": {"HOST": {"auth": "…"}}}`, { file: p.path, code: 'PP_ERR_AUTHFILE' });
  }
  const bad = (what: string, v: unknown): never => {
    throw new ConfigError(`auth file ${p.path}: ${what}: expected a string, got ${v === null ? 'null' : typeof v}`, { file: p.path, code: 'PP_ERR_AUTHFILE' });
  };
  const obj = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const rawAuths = p.legacy ? obj : obj.auths;
  const auths = new Map<string, AuthEntry>();
  if (rawAuths && typeof rawAuths === 'object') {
    for (const [key, entry] of Object.entries(rawAuths as Record<string, unknown>)) {
      if (!entry || typeof entry !== 'object') continue;
      // The runtime refuses such a file (JSON unmarshal into strings); say where, never the value.
      for (const field of ['auth', 'identitytoken'] as const) {
        const v = (entry as Record<string, unknown>)[field];
        if (v !== undefined && typeof v !== 'string') bad(`auths[${JSON.stringify(key)}].${field}`, v);
      }
      auths.set(key, entry as AuthEntry);
    }
  }
  const credHelpers = new Map<string, string>();
  if (!p.legacy && obj.credHelpers && typeof obj.credHelpers === 'object') {
    for (const [host, name] of Object.entries(obj.credHelpers as Record<string, unknown>)) {
      if (typeof name !== 'string') bad(`credHelpers[${JSON.stringify(host)}]`, name);
      credHelpers.set(host, name as string);
    }
  }
  const credsStore = !p.legacy && typeof obj.credsStore === 'string' && obj.credsStore ? obj.credsStore : null;
  return { path: p.path, legacy: p.legacy, auths, credHelpers, credsStore };
}

/** What one file answers for a repository. */
export type FileAnswer =
  | { kind: 'entry'; key: string; username: string; password: string; identityToken?: string }
  /** credHelpers names a helper for the host: the caller runs it. */
  | { kind: 'helper'; helper: string; registry: string }
  /** A key matched but holds no `user:password` (a helper marker `{}`, an identitytoken alone): the file answers nothing. */
  | { kind: 'empty'; key: string; why: string }
  | { kind: 'none' };

/** findCredentialsInFile, without running helpers. Throws for an `auth` value that is not base64 (as the runtime fails). */
export function answerFromFile(file: AuthFile, repoName: string): FileAnswer {
  const registry = hostOf(repoName);
  const helper = file.credHelpers.get(registry);
  if (helper !== undefined) return { kind: 'helper', helper, registry };
  const keys = file.legacy ? [registry] : authKeysFor(repoName);
  for (const key of keys) {
    const entry = file.auths.get(key);
    if (entry) return decodeEntry(file, key, entry);
  }
  const wanted = normalizeRegistry(registry);
  for (const [key, entry] of file.auths) {
    if (normalizeAuthKey(key, file.legacy) === wanted) return decodeEntry(file, key, entry);
  }
  return { kind: 'none' };
}

function decodeEntry(file: AuthFile, key: string, entry: AuthEntry): FileAnswer {
  const raw = entry.auth ?? '';
  // Go's base64.StdEncoding: padded standard alphabet only.
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(raw)) {
    throw new ConfigError(`auth file ${file.path}: auths[${JSON.stringify(key)}].auth is not valid base64 (the runtime fails: illegal base64 data)`, { file: file.path, code: 'PP_ERR_AUTHFILE' });
  }
  const text = Buffer.from(raw, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) {
    const why = text.length > 0 ? 'its "auth" has no ":" (not user:password)' : entry.identitytoken ? 'it has an identitytoken but no "auth" (the runtime reads identitytoken only beside a user:password auth)' : 'it is empty (a Docker credential-helper marker)';
    return { kind: 'empty', key, why };
  }
  return {
    kind: 'entry',
    key,
    username: text.slice(0, i),
    password: text.slice(i + 1).replace(/^\0+|\0+$/g, ''),
    ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}),
  };
}

/** Where JSON.parse failed, as `line L, column C` when V8 says the position; never any of the file's text. */
export function jsonErrorPlace(text: string, message: string): string {
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    return `error at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  if (/end of JSON input/.test(message)) return text.trim() === '' ? 'the file is empty' : 'it ends too early: a brace, bracket or quote is not closed';
  return 'an unexpected character (V8 does not say where)';
}
