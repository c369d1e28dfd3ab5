/**
 * The credentials an attempt uses, found as containers/image 5.23 does (pkg/docker/config
 * getCredentialsWithHomeDir, docker/docker_image_src.go newImageSourceAttempt):
 * 1. `--creds`/`--username` (sys.DockerAuthConfig) win, and `--no-creds` means anonymous, but only for a
 *    physical reference on the same host as the logical one: for a mirror on another host they are dropped
 *    and the lookup below applies (credentials for the source are never sent to a mirror).
 * 2. Otherwise registries.conf `credential-helpers` in order (default `containers-auth.json`): the built-in
 *    `containers-auth.json` reads the auth files (auth-file.ts), any other NAME runs docker-credential-NAME
 *    for the HOST. The first helper with credentials wins; a failing helper is remembered and the next is
 *    tried; if none has credentials and some failed, the lookup fails (the attempt fails).
 * Lookups use the PHYSICAL reference: a mirror gets its own host's (and path's) entry, never the source's.
 * Every answer says where it came from (file and key, helper, flag) or where nothing matched. Helper
 * answers are cached per helper and host for the run: each helper runs at most once per host.
 */
import { answerFromFile, authFileList, hostOf, readAuthFile, type AuthFile, type AuthFileOptions } from './auth-file.ts';
import { ConfigError } from '../errors.ts';

/** A file that could not be read or parsed: it fails the lookups that reach it, as the runtime reads files lazily. */
interface BrokenFile {
  path: string;
  broken: string;
}
import { DEFAULT_HELPER_TIMEOUT_MS, HelperError, helperGet, spawnHelperRunner, type HelperAnswer, type HelperRunner } from './credential-helper.ts';

/** The built-in helper name for the auth files (sysregistriesv2.AuthenticationFileHelper). */
export const AUTH_FILE_HELPER = 'containers-auth.json';

/** Where credentials came from, or why there are none. JSON-safe: never holds a secret. */
export interface CredentialSource {
  kind: 'auth-file' | 'helper' | 'flag' | 'none' | 'no-creds';
  /** The auth file (auth-file; helper named by a file's credHelpers). */
  file?: string;
  /** The key as written in the file. */
  key?: string;
  /** docker-credential-NAME's NAME. */
  helper?: string;
  /** `--creds` or `--username`. */
  flag?: string;
  /** Shown to say which credential was used (a user name is not a secret; the password/token never appears). */
  username?: string;
  /** For people: "auth file F, key K (user U)", "none matched (looked in …)". */
  text: string;
  /** Things the runtime does that surprise (credsStore ignored, a helper marker that stops a file, --creds not sent to a mirror). */
  notes?: string[];
}

export interface Credentials {
  username: string;
  password: string;
  /** OAuth2 refresh token (`identitytoken`, or a helper's `<token>` answer), if any. */
  identityToken?: string;
  source: CredentialSource;
}

export interface CredentialLookup {
  credentials: Credentials | null;
  source: CredentialSource;
}

/** `--creds USER[:PASS]` / `--username --password`, or `--no-creds`. */
export type CredentialOverride = { kind: 'flag'; flag: '--creds' | '--username'; username: string; password: string } | { kind: 'no-creds' };

export interface CredentialStoreOptions extends AuthFileOptions {
  /** registries.conf `credential-helpers` (already defaulted by the loader). Default `['containers-auth.json']`. */
  helpers?: string[];
  runner?: HelperRunner;
  helperTimeoutMs?: number;
  override?: CredentialOverride | null;
}

/** Thrown when the lookup fails (a helper failed and none had credentials): the runtime's wording. */
export class CredentialLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialLookupError';
  }
}

function withUser(text: string, username: string, identityToken: boolean): string {
  return `${text} (${username ? `user ${username}` : identityToken ? 'identity token' : 'empty user name'})`;
}

/** Go's hashicorp/go-multierror text, which the runtime's message carries. */
function multiError(errs: string[]): string {
  const points = errs.map((e) => `\t* ${e}`).join('\n');
  return `${errs.length} error${errs.length === 1 ? '' : 's'} occurred:\n${points}\n\n`;
}

export class CredentialStore {
  private readonly helperCache = new Map<string, Promise<HelperAnswer>>();
  private readonly lookups = new Map<string, Promise<CredentialLookup>>();
  /** How many helper processes ran (for tests and the notes: once per helper and host per run). */
  helperRuns = 0;

  constructor(
    private readonly files: (AuthFile | BrokenFile)[],
    private readonly lookedIn: string[],
    private readonly opts: { helpers: string[]; runner: HelperRunner | null; helperTimeoutMs: number; override: CredentialOverride | null },
  ) {}

  static empty(): CredentialStore {
    return new CredentialStore([], [], { helpers: [AUTH_FILE_HELPER], runner: null, helperTimeoutMs: DEFAULT_HELPER_TIMEOUT_MS, override: null });
  }

  /**
   * Reads the auth files (missing files are skipped). A file that cannot be read or parsed does not fail the
   * run: it fails the lookups that reach it (an earlier file with a match wins), as the runtime reads them.
   */
  static async load(opts: CredentialStoreOptions = {}): Promise<CredentialStore> {
    const files: (AuthFile | BrokenFile)[] = [];
    const lookedIn: string[] = [];
    for (const p of authFileList(opts)) {
      let f: AuthFile | BrokenFile | null;
      try {
        f = await readAuthFile(p);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        f = { path: p.path, broken: err.message };
      }
      lookedIn.push(f ? p.path : `${p.path} (absent)`);
      if (f) files.push(f);
    }
    const helpers = opts.helpers && opts.helpers.length > 0 ? opts.helpers : [AUTH_FILE_HELPER];
    return new CredentialStore(files, lookedIn, {
      helpers,
      runner: opts.runner ?? null,
      helperTimeoutMs: opts.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS,
      override: opts.override ?? null,
    });
  }

  /** Kills credential helpers still running (end of the run: an attempt that gave up on one must not hold the process). */
  close(): void {
    this.opts.runner?.killAll?.();
  }

  /** The registries.conf helpers in use (for explanations). */
  get helpers(): readonly string[] {
    return this.opts.helpers;
  }

  private runHelper(helper: string, registry: string): Promise<HelperAnswer> {
    const key = `${helper}\0${registry}`;
    let p = this.helperCache.get(key);
    if (!p) {
      this.helperRuns++;
      const runner = this.opts.runner ?? (this.opts.runner = spawnHelperRunner());
      p = helperGet(runner, helper, registry, this.opts.helperTimeoutMs);
      this.helperCache.set(key, p);
    }
    return p;
  }

  /**
   * Credentials for the physical repository `host/ns/repo`. `logicalHost` is the host of the reference as
   * asked for: `--creds` apply only when it is the physical host. Rejects with CredentialLookupError when a
   * helper failed and no helper had credentials.
   */
  lookup(repoName: string, opts: { logicalHost?: string | null } = {}): Promise<CredentialLookup> {
    // The files are read once and helper answers are cached, so an answer is fixed for the run: share it
    // (load runs look the same repository up thousands of times; one object per answer, not per attempt).
    const key = `${repoName}\0${opts.logicalHost ?? ''}`;
    let p = this.lookups.get(key);
    if (!p) {
      if (this.lookups.size >= 4096) this.lookups.clear();
      p = this.lookupUncached(repoName, opts.logicalHost ?? null);
      this.lookups.set(key, p);
    }
    return p;
  }

  private async lookupUncached(repoName: string, logicalHost: string | null): Promise<CredentialLookup> {
    const opts = { logicalHost };
    const host = hostOf(repoName);
    const override = this.opts.override;
    const notes: string[] = [];
    if (override) {
      const sameHost = opts.logicalHost == null || opts.logicalHost === host;
      if (sameHost && override.kind === 'no-creds') return { credentials: null, source: { kind: 'no-creds', text: 'none: --no-creds (anonymous)' } };
      if (sameHost && override.kind === 'flag') {
        const source: CredentialSource = { kind: 'flag', flag: override.flag, username: override.username, text: withUser(override.flag, override.username, false) };
        return { credentials: { username: override.username, password: override.password, source }, source };
      }
      notes.push(`${override.kind === 'no-creds' ? '--no-creds does' : `${override.flag} do`} not apply to ${host} (not the host asked for, ${opts.logicalHost}): the runtime looks up ${host}'s own credentials`);
    }
    const errors: string[] = [];
    for (const helper of this.opts.helpers) {
      try {
        const found = helper === AUTH_FILE_HELPER ? await this.fromFiles(repoName, notes) : await this.fromHelper(helper, host, null);
        if (found) return { credentials: found, source: { ...found.source, ...(notes.length ? { notes } : {}) } };
      } catch (err) {
        if (!(err instanceof HelperError) && !(err instanceof CredentialLookupError) && !(err instanceof Error && (err as { code?: string }).code === 'PP_ERR_AUTHFILE')) throw err;
        errors.push(err.message);
      }
    }
    if (errors.length > 0) throw new CredentialLookupError(`getting username and password: ${multiError(errors)}`);
    const where = [...this.lookedIn, ...this.opts.helpers.filter((h) => h !== AUTH_FILE_HELPER).map((h) => `docker-credential-${h}`)];
    return { credentials: null, source: { kind: 'none', text: `none matched ${repoName} (looked in: ${where.join(', ')})`, ...(notes.length ? { notes } : {}) } };
  }

  private async fromHelper(helper: string, registry: string, file: string | null): Promise<Credentials | null> {
    const a = await this.runHelper(helper, registry);
    if (!a.found) return null;
    const via = file ? `credHelpers in ${file}` : 'registries.conf credential-helpers';
    const source: CredentialSource = {
      kind: 'helper',
      helper,
      ...(file ? { file, key: registry } : {}),
      ...(a.username ? { username: a.username } : {}),
      text: withUser(`credential helper docker-credential-${helper} for ${registry} (${via})`, a.username, Boolean(a.identityToken)),
    };
    return { username: a.username, password: a.password, ...(a.identityToken ? { identityToken: a.identityToken } : {}), source };
  }

  /** The built-in helper: the auth files in order; the first file with credentials wins. */
  private async fromFiles(repoName: string, notes: string[]): Promise<Credentials | null> {
    for (const file of this.files) {
      if ('broken' in file) throw new CredentialLookupError(file.broken);
      if (file.credsStore && !notes.some((n) => n.includes(file.path))) {
        notes.push(`${file.path} sets credsStore "${file.credsStore}": containers/image does not read credsStore (Docker does); add "credHelpers": {"${hostOf(repoName)}": "${file.credsStore}"} for the runtime to use it`);
      }
      const a = answerFromFile(file, repoName);
      if (a.kind === 'helper') {
        const found = await this.fromHelper(a.helper, a.registry, file.path);
        if (found) return found;
        continue;
      }
      if (a.kind === 'empty') {
        notes.push(`${file.path}: key "${a.key}" matched but ${a.why}: the runtime stops looking in this file`);
        continue;
      }
      if (a.kind === 'entry') {
        const source: CredentialSource = { kind: 'auth-file', file: file.path, key: a.key, ...(a.username ? { username: a.username } : {}), text: withUser(`auth file ${file.path}, key "${a.key}"`, a.username, Boolean(a.identityToken)) };
        return { username: a.username, password: a.password, ...(a.identityToken ? { identityToken: a.identityToken } : {}), source };
      }
    }
    return null;
  }
}

/** For explanations: where the credentials came from. Never the password or token. */
export function describeCredentials(c: Credentials | CredentialLookup | null): string {
  if (!c) return 'anonymous';
  return c.source.text;
}
