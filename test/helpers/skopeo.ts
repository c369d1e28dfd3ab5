/**
 * The skopeo oracle: runs the real `skopeo` (Debian 1.9.3, containers/image 5.23.1) and `pullpath pull` /
 * `pullpath resolve` on the same registries.conf and reference, and reduces each run to the same shape
 * (verdict, physical references tried in order, final error) so a test can compare them field by field.
 *
 * Both run with a clean environment: HOME is a temp dir (so no ~/.config/containers files leak in) and
 * CONTAINERS_REGISTRIES_CONF / REGISTRY_AUTH_FILE / XDG_* are dropped. skopeo still reads the system drop-in
 * dir /etc/containers/registries.conf.d; pullpath, given --registries-conf, reads the same default dirs, so
 * both see the same drop-ins (see `systemDropInsAffecting`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SKOPEO_BIN = process.env.PULLPATH_SKOPEO ?? '/usr/bin/skopeo';
export const PULLPATH_BIN = join(import.meta.dirname, '..', '..', 'bin', 'pullpath.js');
export const SYSTEM_DROPIN_DIR = '/etc/containers/registries.conf.d';

/** Why the oracle cannot run here, or null. Under CI=true a missing skopeo throws instead. */
export function skopeoSkipReason(): string | null {
  if (existsSync(SKOPEO_BIN)) return null;
  const reason = `${SKOPEO_BIN} not found (apt-get install -y skopeo)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: the skopeo oracle must run under CI`);
  return reason;
}

/**
 * Drop-in files in /etc/containers/registries.conf.d that hold anything besides `[aliases]` (and comments).
 * Aliases only matter for short names, and every reference the oracle uses is a fully qualified
 * `docker://` one, so a drop-in with only aliases (Debian ships `shortnames.conf`) cannot change a verdict.
 * Anything else (a [[registry]], a search list) could, and the oracle refuses to run on such a host.
 */
export function systemDropInsAffecting(dir = SYSTEM_DROPIN_DIR): string[] {
  if (!existsSync(dir)) return [];
  const bad: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.conf')).sort()) {
    let section = '';
    for (const raw of readFileSync(join(dir, name), 'utf8').split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      if (line === '') continue;
      if (line.startsWith('[')) {
        section = line;
        if (section !== '[aliases]') {
          bad.push(`${join(dir, name)}: ${section}`);
          break;
        }
        continue;
      }
      if (section !== '[aliases]') {
        bad.push(`${join(dir, name)}: top-level key ${line.split('=')[0]!.trim()}`);
        break;
      }
    }
  }
  return bad;
}

/** The process environment minus everything that would point either tool at the user's own config. */
export function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CONTAINERS_REGISTRIES_CONF' || k === 'REGISTRY_AUTH_FILE' || k === 'DOCKER_CONFIG' || k.startsWith('XDG_')) continue;
    env[k] = v;
  }
  env.HOME = home;
  env.NO_COLOR = '1';
  return env;
}

export interface RunOutcome {
  ok: boolean;
  /** Physical references in the order they were attempted (skopeo: its `Trying to access` lines). */
  tried: string[];
  /** Each attempt's own error, in `tried` order (skopeo: its `Accessing "REF" failed: ERR` lines), null if it succeeded. */
  attemptErrors: (string | null)[];
  /** The final error text (skopeo: the tail after `Error parsing image name "docker://REF": `), or null. */
  error: string | null;
  /** pullpath: the result's error class and the source that served the image (null for skopeo / none). */
  errorClass?: string | null;
  source?: string | null;
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exec> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stderr}`));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/**
 * One logrus text line's `msg="…"` value, unquoted. logrus quotes with Go's %q, which for the ASCII
 * texts here is JSON string syntax.
 */
export function logrusMsg(line: string): string | null {
  const m = /\bmsg=("(?:[^"\\]|\\.)*")/.exec(line);
  if (!m) return null;
  try {
    return JSON.parse(m[1]!) as string;
  } catch {
    return null;
  }
}

/** Reduces a `skopeo --debug inspect --raw` run to a RunOutcome. */
export function parseSkopeoRun(ref: string, ex: Exec): RunOutcome {
  const tried: string[] = [];
  const attemptErrors: (string | null)[] = [];
  let error: string | null = null;
  const fatalPrefix = `Error parsing image name "${ref}": `;
  for (const line of ex.stderr.split('\n')) {
    const msg = logrusMsg(line);
    if (msg === null) continue;
    const t = /^Trying to access "(.*)"$/.exec(msg);
    if (t && line.includes('level=debug')) {
      tried.push(t[1]!);
      attemptErrors.push(null);
    }
    const f = /^Accessing "(.*?)" failed: ([\s\S]*)$/.exec(msg);
    if (f && line.includes('level=debug') && tried[tried.length - 1] === f[1]) attemptErrors[attemptErrors.length - 1] = f[2]!;
    if (line.includes('level=fatal')) error = msg.startsWith(fatalPrefix) ? msg.slice(fatalPrefix.length) : msg;
  }
  return { ok: ex.code === 0, tried, attemptErrors, error, exitCode: ex.code, stdout: ex.stdout, stderr: ex.stderr };
}

export interface OracleRunOptions {
  /** registries.conf to pass as --registries-conf */
  conf: string;
  /** `docker://…` reference */
  ref: string;
  /** pass --tls-verify=false */
  noVerify?: boolean;
  home: string;
  /** pass --cert-dir DIR (CA *.crt for every host) to both tools */
  certDir?: string;
  timeoutMs?: number;
  /** More pullpath flags (e.g. --policy, --registries.d). */
  extraArgs?: string[];
  /** Variables set for both tools on top of cleanEnv (e.g. HTTPS_PROXY, NO_PROXY). */
  env?: Record<string, string>;
}

/** cleanEnv plus the run's own variables. */
function runEnv(o: { home: string; env?: Record<string, string> }): NodeJS.ProcessEnv {
  return { ...cleanEnv(o.home), ...(o.env ?? {}) };
}

export async function runSkopeo(o: OracleRunOptions): Promise<RunOutcome> {
  const args = ['--registries-conf', o.conf, '--debug', 'inspect', '--raw', ...(o.noVerify ? ['--tls-verify=false'] : []), ...(o.certDir ? ['--cert-dir', o.certDir] : []), o.ref];
  return parseSkopeoRun(o.ref, await run(SKOPEO_BIN, args, runEnv(o), o.timeoutMs ?? 30_000));
}

/** Reduces `pullpath pull --output json` (JSON Lines of PullEvents) to a RunOutcome. */
export function parsePullpathPull(ex: Exec): RunOutcome {
  const tried: string[] = [];
  const attemptErrors: (string | null)[] = [];
  let ok = false;
  let error: string | null = null;
  let sawResult = false;
  let errorClass: string | null = null;
  let source: string | null = null;
  for (const line of ex.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as { type: string; reference?: string; ok?: boolean; error?: string | null; errorClass?: string | null; source?: string | null };
    if (e.type === 'attempt') {
      tried.push(e.reference!);
      attemptErrors.push(e.error ?? null);
    }
    if (e.type === 'result') {
      sawResult = true;
      ok = e.ok === true;
      error = e.error ?? null;
      errorClass = e.errorClass ?? null;
      source = e.source ?? null;
    }
  }
  // Errors found before any event (a config that does not load) go to stderr with exit 2.
  if (!sawResult && ex.code !== 0) error = ex.stderr.trim();
  return { ok, tried, attemptErrors, error, errorClass, source, exitCode: ex.code, stdout: ex.stdout, stderr: ex.stderr };
}

export async function runPullpathPull(o: OracleRunOptions): Promise<RunOutcome> {
  const args = [PULLPATH_BIN, 'pull', '--registries-conf', o.conf, '--output', 'json', ...(o.noVerify ? ['--tls-verify=false'] : []), ...(o.certDir ? ['--cert-dir', o.certDir] : []), ...(o.extraArgs ?? []), o.ref];
  return parsePullpathPull(await run(process.execPath, args, runEnv(o), o.timeoutMs ?? 30_000));
}

export interface ResolveSource {
  location: string;
  insecure: boolean;
  reference: string;
  blocked: boolean;
  mirror: boolean;
}
export interface ResolveOutcome {
  exitCode: number;
  sources: ResolveSource[];
  error: string | null;
  stderr: string;
}

/** `pullpath resolve --output json` on one reference (no network). */
export async function runPullpathResolve(o: Omit<OracleRunOptions, 'noVerify' | 'certDir'>): Promise<ResolveOutcome> {
  const ex = await run(process.execPath, [PULLPATH_BIN, 'resolve', '--registries-conf', o.conf, '--output', 'json', o.ref], cleanEnv(o.home), o.timeoutMs ?? 30_000);
  const first = ex.stdout.split('\n').find((l) => l.trim() !== '');
  if (!first) return { exitCode: ex.code, sources: [], error: ex.stderr.trim() || null, stderr: ex.stderr };
  const j = JSON.parse(first) as { sources: ResolveSource[]; error: string | null };
  return { exitCode: ex.code, sources: j.sources, error: j.error, stderr: ex.stderr };
}
