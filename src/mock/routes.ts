/**
 * The one definition of the mock's routes. The node:http fast path matches them with the regular
 * expressions compiled here; the msw adapter (msw-handlers.ts) registers the same patterns as msw handlers.
 * Patterns use msw/path-to-regexp syntax: `:param` is one path segment, `:param+` one or more.
 */
import type { RouteName } from './spec.ts';

export interface RouteDef {
  name: RouteName;
  methods: readonly string[];
  pattern: string;
}

export const ROUTES: readonly RouteDef[] = [
  { name: 'ping', methods: ['GET', 'HEAD'], pattern: '/v2/' },
  { name: 'catalog', methods: ['GET'], pattern: '/v2/_catalog' },
  { name: 'tags', methods: ['GET'], pattern: '/v2/:name+/tags/list' },
  { name: 'manifest', methods: ['GET', 'HEAD'], pattern: '/v2/:name+/manifests/:reference' },
  { name: 'blob', methods: ['GET', 'HEAD'], pattern: '/v2/:name+/blobs/:digest' },
  { name: 'token', methods: ['GET'], pattern: '/token' },
];

/** The distribution-spec repository name grammar; other names get the router's 404, as distribution answers. */
const NAME_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

interface Compiled {
  def: RouteDef;
  re: RegExp;
  keys: string[];
}

function compile(def: RouteDef): Compiled {
  const keys: string[] = [];
  const source = def.pattern
    .split('/')
    .map((seg) => {
      const m = /^:(\w+)(\+?)$/.exec(seg);
      if (m === null) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(m[1]!);
      return m[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { def, re: new RegExp(`^${source}$`), keys };
}

const COMPILED = ROUTES.map(compile);

export type RouteMatch =
  | { kind: 'route'; def: RouteDef; params: Record<string, string> }
  /** The path is a known route but not for this method: 405 UNSUPPORTED. */
  | { kind: 'method'; def: RouteDef }
  | { kind: 'none' };

/** Match a request path (no query) against the route table; validates names, tags and digests. */
export function matchRoute(method: string, path: string): RouteMatch {
  if (path === '/v2') path = '/v2/';
  for (const c of COMPILED) {
    const m = c.re.exec(path);
    if (m === null) continue;
    const params: Record<string, string> = {};
    c.keys.forEach((k, i) => (params[k] = m[i + 1]!));
    if (params.name !== undefined && !NAME_RE.test(params.name)) return { kind: 'none' };
    if (params.reference !== undefined && !TAG_RE.test(params.reference) && !DIGEST_RE.test(params.reference)) return { kind: 'none' };
    if (params.digest !== undefined && !DIGEST_RE.test(params.digest)) return { kind: 'none' };
    if (!c.def.methods.includes(method)) return { kind: 'method', def: c.def };
    return { kind: 'route', def: c.def, params };
  }
  return { kind: 'none' };
}
