/**
 * The lookup order of containers/image 5.23 (pkg/docker/config getCredentialsWithHomeDir, findCredentialsInFile)
 * and which credentials a mirror gets, with helpers behind an injected runner (no processes).
 */
import { jsonErrorPlace } from '../../src/registry/auth-file.ts';
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore, CredentialLookupError, type CredentialStoreOptions } from '../../src/registry/credential-store.ts';
import type { HelperRunner } from '../../src/registry/credential-helper.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const PW = 'pw-SECRET-314159';

/** A home with the runtime's files: run (the XDG_RUNTIME_DIR file), config (~/.config), docker, dockercfg. */
async function home(files: { run?: unknown; config?: unknown; docker?: unknown; dockercfg?: unknown }) {
  const dir = await mkdtemp(join(tmpdir(), 'pp-creds-'));
  const runDir = join(dir, 'run');
  await mkdir(join(runDir, 'containers'), { recursive: true });
  await mkdir(join(dir, '.config/containers'), { recursive: true });
  await mkdir(join(dir, '.docker'), { recursive: true });
  if (files.run) await writeFile(join(runDir, 'containers/auth.json'), JSON.stringify(files.run));
  if (files.config) await writeFile(join(dir, '.config/containers/auth.json'), JSON.stringify(files.config));
  if (files.docker) await writeFile(join(dir, '.docker/config.json'), JSON.stringify(files.docker));
  if (files.dockercfg) await writeFile(join(dir, '.dockercfg'), JSON.stringify(files.dockercfg));
  return { dir, opts: { home: dir, env: { XDG_RUNTIME_DIR: runDir } } satisfies CredentialStoreOptions };
}

/** A runner answering from a table `helper/host` → answer; counts calls. */
function fakeRunner(table: Record<string, { user: string; secret: string } | 'error' | 'hang'>) {
  const calls: string[] = [];
  const runner: HelperRunner = {
    async run(program, _arg, input) {
      const name = program.replace(/^docker-credential-/, '');
      calls.push(`${name} ${input}`);
      await new Promise((r) => setTimeout(r, 5));
      const a = table[`${name}/${input}`];
      if (a === 'error') return { exitCode: 1, stdout: 'vault sealed\n' };
      if (!a) return { exitCode: 1, stdout: 'credentials not found in native keychain\n' };
      if (a === 'hang') return { exitCode: null, stdout: '', timedOut: true, startError: 'no answer within 10 s (killed)' };
      return { exitCode: 0, stdout: JSON.stringify({ ServerURL: input, Username: a.user, Secret: a.secret }) };
    },
  };
  return { runner, calls };
}

const auth = (user: string) => ({ auth: b64(`${user}:${PW}`) });

describe('auth files, in the runtime order', () => {
  it('takes the first FILE with a match, even when a later file has a more specific key', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('config-host') } }, docker: { auths: { 'quay.io/org/app': auth('docker-repo') } } });
    const r = await (await CredentialStore.load(h.opts)).lookup('quay.io/org/app');
    expect(r.credentials?.username).toBe('config-host');
    expect(r.source).toMatchObject({ kind: 'auth-file', file: join(h.dir, '.config/containers/auth.json'), key: 'quay.io', username: 'config-host' });
  });

  it('reads the XDG_RUNTIME_DIR file first, and --authfile in its place', async () => {
    const h = await home({ run: { auths: { 'quay.io': auth('run') } }, config: { auths: { 'quay.io': auth('config') } } });
    expect((await (await CredentialStore.load(h.opts)).lookup('quay.io/a/b')).credentials?.username).toBe('run');
    const explicit = join(h.dir, 'explicit.json');
    await writeFile(explicit, JSON.stringify({ auths: { 'other.io': auth('x') } }));
    // --authfile replaces only the first file: quay.io is still found in ~/.config.
    expect((await (await CredentialStore.load({ ...h.opts, authFile: explicit })).lookup('quay.io/a/b')).credentials?.username).toBe('config');
  });

  it('inside a file: most specific exact key first, then keys normalizing to the host', async () => {
    const h = await home({ config: { auths: { 'https://quay.io/v1/': auth('legacy-url'), 'quay.io/org': auth('ns'), 'docker.io': auth('hub') } } });
    const s = await CredentialStore.load(h.opts);
    expect((await s.lookup('quay.io/org/app')).source.key).toBe('quay.io/org');
    expect((await s.lookup('quay.io/other/app')).source.key).toBe('https://quay.io/v1/');
    expect((await s.lookup('docker.io/library/busybox')).source.key).toBe('docker.io');
    expect((await s.lookup('registry-1.docker.io/library/busybox')).source.key).toBe('docker.io');
  });

  it('a matched entry without user:password (Docker\'s helper marker) ends the search in that file', async () => {
    const h = await home({ config: { auths: { 'quay.io/org': {}, 'quay.io': auth('same-file-host') } }, docker: { auths: { 'quay.io': auth('docker-host') } } });
    const r = await (await CredentialStore.load(h.opts)).lookup('quay.io/org/app');
    expect(r.credentials?.username).toBe('docker-host');
    expect(r.source.notes?.join('\n')).toContain('key "quay.io/org" matched but it is empty');
  });

  it('reads ~/.dockercfg (legacy: entries at the top, keys by host, URLs cut to their host)', async () => {
    const h = await home({ dockercfg: { 'https://legacy.example.com/v1/': auth('old') } });
    const r = await (await CredentialStore.load(h.opts)).lookup('legacy.example.com/ns/app');
    expect(r.source).toMatchObject({ kind: 'auth-file', file: join(h.dir, '.dockercfg'), key: 'https://legacy.example.com/v1/' });
  });

  it('a broken file fails only the lookups that reach it (read lazily, as the runtime)', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('config') } } });
    await writeFile(join(h.dir, '.docker/config.json'), '{"auths": {');
    const s = await CredentialStore.load(h.opts);
    expect((await s.lookup('quay.io/a/b')).credentials?.username).toBe('config');
    const err = await s.lookup('other.io/a/b').catch((e) => e);
    expect(err).toBeInstanceOf(CredentialLookupError);
    expect(err.message).toContain(`${join(h.dir, '.docker/config.json')} is not valid JSON (error at line 1, column 12)`);
  });

  it('says where a file is not JSON, without quoting it (the text may hold a secret)', () => {
    const place = (text: string) => { try { JSON.parse(text); return ''; } catch (e) { return jsonErrorPlace(text, (e as Error).message); } };
    expect(place('{\n  "auths": {\n    "q": {"auth": "c2VjcmV0"},\n  }\n}')).toMatch(/^error at line 4, column \d+$/);
    expect(place('')).toBe('the file is empty');
    expect(place('{"auths": {"q": {"auth": "c2VjcmV0"}}} x')).not.toContain('c2VjcmV0');
  });

  it('says where it looked when nothing matched', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('u') } } });
    const r = await (await CredentialStore.load(h.opts)).lookup('mirror.example.com/quay/app');
    expect(r.credentials).toBeNull();
    expect(r.source.kind).toBe('none');
    expect(r.source.text).toContain(join(h.dir, '.config/containers/auth.json'));
    expect(r.source.text).toContain(`${join(h.dir, '.docker/config.json')} (absent)`);
  });
});

describe('credential helpers', () => {
  it('credHelpers in a file names the helper for the HOST (before that file\'s auths)', async () => {
    const h = await home({ config: { credHelpers: { 'mirror.example.com': 'vault' }, auths: { 'mirror.example.com': auth('file') } } });
    const { runner, calls } = fakeRunner({ 'vault/mirror.example.com': { user: 'from-vault', secret: PW } });
    const r = await (await CredentialStore.load({ ...h.opts, runner })).lookup('mirror.example.com/ns/app');
    expect(r.credentials).toMatchObject({ username: 'from-vault', password: PW });
    expect(r.source).toMatchObject({ kind: 'helper', helper: 'vault', file: join(h.dir, '.config/containers/auth.json'), key: 'mirror.example.com' });
    expect(calls).toEqual(['vault mirror.example.com']);
  });

  it('a credHelpers helper without credentials moves on to the NEXT file', async () => {
    const h = await home({ config: { credHelpers: { 'quay.io': 'vault' }, auths: { 'quay.io': auth('same-file') } }, docker: { auths: { 'quay.io': auth('docker') } } });
    const { runner } = fakeRunner({});
    expect((await (await CredentialStore.load({ ...h.opts, runner })).lookup('quay.io/a/b')).credentials?.username).toBe('docker');
  });

  it('registries.conf credential-helpers run in order; containers-auth.json is the files', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('file') } } });
    const { runner } = fakeRunner({ 'first/quay.io': { user: 'helper-user', secret: PW } });
    const helperFirst = await CredentialStore.load({ ...h.opts, runner, helpers: ['first', 'containers-auth.json'] });
    expect((await helperFirst.lookup('quay.io/a/b')).source).toMatchObject({ kind: 'helper', helper: 'first', username: 'helper-user' });
    const filesFirst = await CredentialStore.load({ ...h.opts, runner, helpers: ['containers-auth.json', 'first'] });
    expect((await filesFirst.lookup('quay.io/a/b')).source).toMatchObject({ kind: 'auth-file', username: 'file' });
  });

  it('a failing helper is skipped when a later one has credentials, and fails the lookup when none has', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('file') } } });
    const { runner } = fakeRunner({ 'broken/quay.io': 'error', 'broken/other.io': 'error' });
    const s = await CredentialStore.load({ ...h.opts, runner, helpers: ['broken', 'containers-auth.json'] });
    expect((await s.lookup('quay.io/a/b')).credentials?.username).toBe('file');
    const err = await s.lookup('other.io/a/b').catch((e) => e);
    expect(err).toBeInstanceOf(CredentialLookupError);
    expect(err.message).toBe('getting username and password: 1 error occurred:\n\t* error getting credentials - err: exit status 1, out: `vault sealed`\n\n');
  });

  it('runs each helper once per host for the run, however many repositories and concurrent lookups', async () => {
    const h = await home({});
    const { runner, calls } = fakeRunner({ 'vault/mirror.example.com': { user: 'u', secret: PW } });
    const s = await CredentialStore.load({ ...h.opts, runner, helpers: ['vault'] });
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.lookup(`mirror.example.com/ns/app${i % 7}`)));
    await s.lookup('other.example.com/x/y');
    expect(calls).toEqual(['vault mirror.example.com', 'vault other.example.com']);
    expect(s.helperRuns).toBe(2);
  });

  it('notes that credsStore is not read by the runtime', async () => {
    const h = await home({ docker: { credsStore: 'desktop', auths: { 'quay.io': {} } } });
    const { runner, calls } = fakeRunner({ 'desktop/quay.io': { user: 'u', secret: PW } });
    const r = await (await CredentialStore.load({ ...h.opts, runner })).lookup('quay.io/a/b');
    expect(r.credentials).toBeNull();
    expect(calls).toEqual([]);
    expect(r.source.notes?.join('\n')).toContain('sets credsStore "desktop": containers/image does not read credsStore');
  });
});

describe('which credentials a mirror gets', () => {
  it('a mirror uses its own host and path entry, never the source\'s', async () => {
    const h = await home({ config: { auths: { 'quay.io/org': auth('source'), 'mirror.example.com/quay/org': auth('mirror-ns'), 'mirror.example.com': auth('mirror-host') } } });
    const s = await CredentialStore.load(h.opts);
    expect((await s.lookup('mirror.example.com/quay/org/app', { logicalHost: 'quay.io' })).source.key).toBe('mirror.example.com/quay/org');
    expect((await s.lookup('mirror.example.com/other/app', { logicalHost: 'quay.io' })).source.key).toBe('mirror.example.com');
  });

  it('--creds apply to the host asked for only; a mirror elsewhere looks up its own', async () => {
    const h = await home({ config: { auths: { 'mirror.example.com': auth('mirror-file') } } });
    const s = await CredentialStore.load({ ...h.opts, override: { kind: 'flag', flag: '--creds', username: 'cli', password: PW } });
    expect((await s.lookup('quay.io/org/app', { logicalHost: 'quay.io' })).source).toMatchObject({ kind: 'flag', flag: '--creds', username: 'cli' });
    // A mirror on the same host as the source (another path) gets them too, as the runtime compares domains only.
    expect((await s.lookup('quay.io/mirror/app', { logicalHost: 'quay.io' })).source.kind).toBe('flag');
    const m = await s.lookup('mirror.example.com/quay/app', { logicalHost: 'quay.io' });
    expect(m.source).toMatchObject({ kind: 'auth-file', username: 'mirror-file' });
    expect(m.source.notes?.join('\n')).toContain('--creds do not apply to mirror.example.com');
  });

  it('--no-creds is anonymous on the host asked for; a mirror elsewhere still uses its auth file entry', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('q'), 'mirror.example.com': auth('m') } } });
    const s = await CredentialStore.load({ ...h.opts, override: { kind: 'no-creds' } });
    expect(await s.lookup('quay.io/a/b', { logicalHost: 'quay.io' })).toEqual({ credentials: null, source: { kind: 'no-creds', text: 'none: --no-creds (anonymous)' } });
    expect((await s.lookup('mirror.example.com/a/b', { logicalHost: 'quay.io' })).credentials?.username).toBe('m');
  });

  it('no source text ever holds the password', async () => {
    const h = await home({ config: { auths: { 'quay.io': auth('u') }, credHelpers: { 'h.io': 'vault' } } });
    const { runner } = fakeRunner({ 'vault/h.io': { user: 'v', secret: PW } });
    const s = await CredentialStore.load({ ...h.opts, runner });
    for (const repo of ['quay.io/a/b', 'h.io/a/b', 'none.io/a/b']) expect(JSON.stringify((await s.lookup(repo)).source)).not.toContain(PW);
  });
});
