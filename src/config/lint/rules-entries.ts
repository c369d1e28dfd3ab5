/**
 * Per-entry pitfalls (research §5–§6, §11, §13): prefixes that never match a pull, inert wildcards, locations
 * whose rewrites fail for some or all references, `docker.io` remapping surprises, insecure endpoints outside
 * loopback, a mirror that is its own primary, and duplicate prefixes the runtime drops silently.
 * Each rule is a small function over one decoded `[[registry]]`; values are trimmed as the runtime trims them.
 */
import { tryParseNamed } from '../../reference/index.ts';
import type { RawConfigFile, RawMirror, RawRegistry } from '../decode-file.ts';
import { parseLocation } from '../location.ts';
import type { CompatVersion } from '../types.ts';
import type { LintFinding } from './finding.ts';

const trim = (s: string): string => {
  const r = parseLocation(s);
  return r.ok ? r.value : s;
};

/** The host part of a location or prefix (`a.b:5000/x` → `a.b:5000`). */
const hostOf = (s: string): string => s.split('/')[0]!;

/** Does this literal prefix carry a tag or digest (`example.com/foo:bar`, `…@sha256:…`)? */
export function prefixHasTagOrDigest(prefix: string): boolean {
  if (prefix.includes('@')) return true;
  const slash = prefix.indexOf('/');
  return slash !== -1 && prefix.slice(slash + 1).includes(':');
}

/** A prefix with `*` that is not the `*.domain` form: the runtime treats it literally, so it never matches. */
export function isInertWildcard(prefix: string): boolean {
  return prefix.includes('*') && !(prefix.startsWith('*.') && !prefix.slice(2).includes('*'));
}

/** Loopback hosts: `localhost`, `127.x.x.x`, `[::1]`, with or without a port. */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:\d+$/, '');
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why `location/…` is never a valid rewritten reference, or null when a sample rewrite parses.
 * `location + "/x"` stands for any rewrite that keeps a path; the runtime re-parses each one canonically.
 */
export function locationRewriteProblem(location: string): string | null {
  if (location === '') return null;
  if (location.endsWith('/')) return `it ends with "/", so rewritten references contain "//" and fail to parse`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return `it has a URI scheme; locations are host[:port][/path] only`;
  const slash = location.indexOf('/');
  const path = slash === -1 ? '' : location.slice(slash + 1);
  if (location.includes('@') || path.includes(':')) return `it carries a tag, digest or "@", so rewritten references are not valid names`;
  if (path !== path.toLowerCase()) return `its path has upper-case letters, which repository names may not contain`;
  const host = hostOf(location);
  if (host === 'index.docker.io') return `index.docker.io is normalized to docker.io, so rewritten references are never canonical`;
  // Two components: `docker.io/x` alone is non-canonical, which PP_LINT_DOCKER_IO_LOCATION explains separately.
  const sample = tryParseNamed(`${location}/x/y`);
  if (!sample.ok) return `a rewritten reference such as "${location}/x/y" does not parse: ${sample.error}`;
  return null;
}

function at(reg: RawRegistry | RawMirror, key: string): number | undefined {
  return reg.keyLines.get(key) ?? reg.line;
}

export function lintEntries(raw: RawConfigFile, compat: CompatVersion): LintFinding[] {
  const out: LintFinding[] = [];
  const file = raw.path;
  const warn = (code: string, line: number | undefined, message: string, fix: string): void => {
    out.push({ severity: 'warning', code, file, line, message, fix });
  };
  const prefixes = new Set((raw.registries ?? []).map((r) => trim(r.prefix === '' ? r.location : r.prefix)));
  const seen = new Map<string, RawRegistry>();

  for (const reg of raw.registries ?? []) {
    // Entries the loader refuses (URI schemes, nothing set) are reported as errors; no warnings on top.
    if (!parseLocation(reg.location).ok || !parseLocation(reg.prefix).ok) continue;
    const location = trim(reg.location);
    const prefix = reg.prefix === '' ? location : trim(reg.prefix);
    if (prefix === '') continue;
    const wildcard = prefix.startsWith('*.');

    const first = seen.get(prefix);
    if (first) {
      warn(
        'PP_LINT_DUPLICATE_PREFIX',
        reg.line,
        `this [[registry]] has the same prefix "${prefix}" as the one at ${file}:${first.line ?? '?'}; within one file the runtime keeps the first and silently drops this one`,
        `merge the two entries into one (mirrors, flags) and delete this one`,
      );
    } else seen.set(prefix, reg);

    if (!wildcard && prefixHasTagOrDigest(prefix)) {
      warn(
        'PP_LINT_PREFIX_TAG_OR_DIGEST',
        at(reg, 'prefix'),
        `prefix "${prefix}" has a tag or digest, but the runtime matches entries on the repository name only, so this entry never applies to a pull (containers/image #1043)`,
        `prefix = "${prefix.replace(/@.*$/, '').replace(/^([^/]*\/[^:]*):.*$/, '$1')}" (a repository; tags and digests cannot be remapped one by one)`,
      );
    }
    if (isInertWildcard(prefix)) {
      const domain = prefix.replace(/^\*+\.?/, '');
      warn(
        'PP_LINT_INERT_WILDCARD',
        at(reg, 'prefix'),
        `prefix "${prefix}" is not of the form *.domain, so the runtime takes it literally and it never matches anything`,
        `prefix = "*.${domain.replace(/\*/g, '')}" to match every subdomain (the apex domain needs its own entry)`,
      );
    }

    const problem = locationRewriteProblem(location);
    if (problem !== null) {
      warn(
        'PP_LINT_LOCATION_REWRITE_FAILS',
        at(reg, 'location'),
        `location "${location}": ${problem}; every pull matching "${prefix}" fails before any network access`,
        `location = "host[:port][/lowercase/path]" without tag, digest, scheme or trailing "/"`,
      );
    }

    if (!wildcard && location !== '' && problem === null) {
      if (prefix.includes('/') && !location.includes('/')) {
        warn(
          'PP_LINT_BARE_HOST_FOR_REPOSITORY_PREFIX',
          at(reg, 'location'),
          `a pull of "${prefix}" itself is rewritten to "${location}:TAG", which has no repository path, so that pull fails (pulls below it, "${prefix}/…", work)`,
          `if "${prefix}" is itself an image, give the location a repository path (location = "${location}/NAME"; "${prefix}/x" then goes to "${location}/NAME/x"); otherwise never pull "${prefix}" directly`,
        );
      }
      // docker.io is never addressed with a port, so the quirk cannot bite there.
      if (!prefix.includes('/') && !prefix.includes(':') && prefix !== 'docker.io' && hostOf(location).includes(':')) {
        warn(
          'PP_LINT_PORT_QUIRK',
          at(reg, 'prefix'),
          `prefix "${prefix}" also matches references to "${prefix}:PORT/…" (a prefix only needs ":" after it), and those rewrite to "${location}:PORT/…" (two ports), which fails`,
          `add a separate [[registry]] with prefix = "${prefix}:PORT" for any port you pull from`,
        );
      }
      if ((location === 'docker.io' && prefix !== 'docker.io') || hostOf(location) === 'index.docker.io') {
        warn(
          'PP_LINT_DOCKER_IO_LOCATION',
          at(reg, 'location'),
          `location "${location}": names rewritten to docker.io with a single path component (docker.io/NAME) are not canonical (docker.io means docker.io/library/NAME), so those pulls fail`,
          `location = "docker.io/library" when the prefix maps to official images, or use docker.io only for prefix = "docker.io"`,
        );
      }
    }

    if (prefix === 'docker.io' && !prefixes.has('docker.io/library')) {
      const remaps = [location, ...reg.mirrors.map((m) => trim(m.location))].filter((l) => l !== 'docker.io' && l.includes('/'));
      if (remaps.length > 0) {
        warn(
          'PP_LINT_DOCKER_IO_LIBRARY',
          at(reg, 'prefix'),
          `prefix "docker.io" keeps "library/" for official images: busybox is docker.io/library/busybox, so it goes to "${remaps[0]}/library/busybox" (containers/image #775)`,
          `if "${remaps[0]}" stores official images without "library/", add [[registry]] prefix = "docker.io/library" location = "${remaps[0]}"`,
        );
      }
    }

    // An entry without a location already has its load error; a warning about host "" would only confuse.
    if (reg.insecure && (wildcard || location !== '') && !isLoopbackHost(wildcard ? prefix : hostOf(location))) {
      warn(
        'PP_LINT_INSECURE_REMOTE',
        at(reg, 'insecure'),
        `"${wildcard ? prefix : hostOf(location)}" is insecure: TLS is not verified and plain HTTP is tried after any HTTPS failure, so anyone on the network path can serve images`,
        `put the registry's CA in /etc/containers/certs.d/${wildcard ? 'HOST' : hostOf(location)}/ca.crt and remove insecure = true`,
      );
    }

    for (const m of reg.mirrors) {
      if (!parseLocation(m.location).ok) continue;
      const ml = trim(m.location);
      if (ml === '') continue;
      if (ml === (location === '' ? prefix : location)) {
        warn(
          'PP_LINT_MIRROR_IS_PRIMARY',
          at(m, 'location'),
          `mirror "${ml}" is this entry's own location, so the same endpoint is tried twice (as a mirror, then as the primary) and failover gains nothing`,
          `remove this [[registry.mirror]], or point it at a different registry`,
        );
      }
      if (compat !== '5.40' && m.location !== ml && m.location.endsWith('/')) {
        warn(
          'PP_LINT_MIRROR_TRAILING_SLASH',
          at(m, 'location'),
          `mirror location "${m.location}" ends with "/": before containers/image v5.35 the trailing "/" is kept, so every rewrite through this mirror contains "//" and the whole pull fails before any network access`,
          `location = "${ml}"`,
        );
      } else {
        const mp = locationRewriteProblem(ml);
        if (mp !== null) {
          warn(
            'PP_LINT_LOCATION_REWRITE_FAILS',
            at(m, 'location'),
            `mirror location "${ml}": ${mp}; one failed rewrite aborts the whole pull, primary included`,
            `location = "host[:port][/lowercase/path]" without tag, digest, scheme or trailing "/"`,
          );
        } else if (ml === 'docker.io' || hostOf(ml) === 'index.docker.io') {
          if (!(ml === 'docker.io' && prefix === 'docker.io')) {
            warn(
              'PP_LINT_DOCKER_IO_LOCATION',
              at(m, 'location'),
              `mirror "${ml}": names rewritten to docker.io with a single path component are not canonical, so those pulls fail (all sources, not just this mirror)`,
              `location = "docker.io/library" when the prefix maps to official images`,
            );
          }
        }
      }
      if (m.insecure && !isLoopbackHost(hostOf(ml))) {
        warn(
          'PP_LINT_INSECURE_REMOTE',
          at(m, 'insecure'),
          `mirror "${hostOf(ml)}" is insecure: TLS is not verified and plain HTTP is tried after any HTTPS failure, so anyone on the network path can serve images`,
          `put the mirror's CA in /etc/containers/certs.d/${hostOf(ml)}/ca.crt and remove insecure = true`,
        );
      }
    }
  }

  // V1 insecure lists have the same risk.
  for (const e of raw.v1.insecure ?? []) {
    if (!parseLocation(e).ok) continue;
    const host = hostOf(trim(e));
    if (!isLoopbackHost(host)) {
      warn(
        'PP_LINT_INSECURE_REMOTE',
        raw.v1.lines?.insecure ?? raw.v1.line,
        `"${host}" is insecure (V1 [registries.insecure]): TLS is not verified and plain HTTP is tried after any HTTPS failure`,
        `put the registry's CA in /etc/containers/certs.d/${host}/ca.crt and remove it from the insecure list (and move to the V2 format)`,
      );
    }
  }
  return out;
}
