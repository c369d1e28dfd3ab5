/**
 * A shortcut for the most common rewrite, proven equal to the runtime's `ParseNamed(location + rest)`:
 * when the location is `host[/path]` with a real host (has `.` or `:`, or is `localhost`; not docker.io, whose
 * names need `library/`) and the rest of the reference starts with `/`, the result is canonical by
 * construction: the host stays the domain, the path components are already valid, tag and digest carry over.
 * Everything else (ports carried by wildcards, docker.io, odd locations) takes the full parse.
 * test/resolve/location-join.test.ts compares both paths on every benchmark reference.
 */
import { isDomain } from '../reference/domain.ts';
import { nameComponent, NAME_TOTAL_LENGTH_MAX } from '../reference/grammar.ts';
import { Reference } from '../reference/reference.ts';

export interface JoinableLocation {
  domain: string;
  /** "" for a host-only location. */
  path: string;
}

const pathRegexp = new RegExp(`^${nameComponent}(?:/${nameComponent})*$`);

/** The location split for the shortcut, or null when only the full parse can decide. */
export function joinableLocation(location: string): JoinableLocation | null {
  if (location === '') return null;
  const slash = location.indexOf('/');
  const domain = slash === -1 ? location : location.slice(0, slash);
  const path = slash === -1 ? '' : location.slice(slash + 1);
  if (!isDomain(domain)) return null;
  if (!domain.includes('.') && !domain.includes(':') && domain !== 'localhost') return null;
  if (domain === 'docker.io' || domain === 'index.docker.io') return null;
  // A trailing `/` (kept on mirrors by v5.23) makes `//` in the result: only the full parse words that error.
  if (slash !== -1 && !pathRegexp.test(path)) return null;
  return { domain, path };
}

/**
 * The rewritten reference, or null when the shortcut does not apply (then use the full parse).
 * `matched` is the prefix's matched length in `ref.string()`.
 */
export function joinAtPathBoundary(ref: Reference, matched: number, loc: JoinableLocation): Reference | null {
  const name = ref.name();
  if (matched >= name.length || name.charCodeAt(matched) !== 0x2f /* / */) return null;
  const tail = name.slice(matched + 1);
  const path = loc.path === '' ? tail : loc.path + '/' + tail;
  if (loc.domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) return null;
  return new Reference(loc.domain, path, ref.tag, ref.digest);
}
