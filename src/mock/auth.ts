/**
 * Authentication as distribution does it: Basic (htpasswd-style challenge) or Bearer tokens from a token
 * endpoint on the same server, with `repository:NAME:pull` scopes enforced and tokens that expire on the
 * registry's clock. Challenges and bodies follow distribution's accesscontroller and htpasswd code.
 */
import { randomBytes } from 'node:crypto';
import type { MockAuthSpec, MockUser, RouteName } from './spec.ts';
import type { MockRequest, MockResponse } from './http-types.ts';
import { registryError } from './error-body.ts';
import { globToRegExp } from './glob.ts';

interface Token {
  username: string | undefined;
  /** Repositories granted `pull`. */
  pull: Set<string>;
  expiresAtMs: number;
}

export interface Auth {
  /** undefined: allowed; otherwise the 401 to send. `name` is the repository for repository routes. */
  check(req: MockRequest, route: RouteName, name: string | undefined, nowMs: number): MockResponse | undefined;
  /** The `/token` endpoint (Bearer only; undefined when the registry does not use tokens). */
  token(req: MockRequest, nowMs: number): MockResponse | undefined;
}

function header(req: MockRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function basicCredentials(req: MockRequest): { username: string; password: string } | undefined {
  const h = header(req, 'authorization');
  if (h === undefined || !/^basic /i.test(h)) return undefined;
  const text = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function findUser(users: MockUser[] | undefined, c: { username: string; password: string }): MockUser | undefined {
  return users?.find((u) => u.username === c.username && u.password === c.password);
}

function mayPull(user: MockUser | undefined, repo: string): boolean {
  if (user?.repositories === undefined) return true;
  return user.repositories.some((g) => globToRegExp(g).test(repo));
}

const REPO_ROUTES = new Set<RouteName>(['manifest', 'blob', 'tags']);

/** Build the auth checker for a registry. `host` is the default Bearer `service`. */
export function createAuth(spec: MockAuthSpec | undefined, host: string): Auth {
  if (spec === undefined || spec.type === 'none') {
    return { check: () => undefined, token: () => undefined };
  }
  if (spec.type === 'basic') {
    const challenge = `Basic realm=${JSON.stringify(spec.realm ?? 'pullpath-mock')}`;
    return {
      check(req) {
        const c = basicCredentials(req);
        if (c !== undefined && findUser(spec.users, c) !== undefined) return undefined;
        return registryError(401, 'UNAUTHORIZED', 'authentication required', null, { 'www-authenticate': challenge });
      },
      token: () => undefined,
    };
  }

  const bearer = spec;
  const service = spec.service ?? host;
  const ttl = spec.tokenTtl ?? 300;
  const tokens = new Map<string, Token>();

  function challenge(req: MockRequest, name: string | undefined, error: string | undefined): MockResponse {
    const realm = bearer.realm ?? `${req.scheme}://${header(req, 'host') ?? host}/token`;
    let value = `Bearer realm=${JSON.stringify(realm)},service=${JSON.stringify(service)}`;
    if (name !== undefined) value += `,scope=${JSON.stringify(`repository:${name}:pull`)}`;
    if (error !== undefined) value += `,error=${JSON.stringify(error)}`;
    const detail = name !== undefined ? [{ Type: 'repository', Class: '', Name: name, Action: 'pull' }] : null;
    return registryError(401, 'UNAUTHORIZED', 'authentication required', detail, { 'www-authenticate': value });
  }

  function prune(nowMs: number): void {
    if (tokens.size < 10_000) return;
    for (const [k, t] of tokens) if (t.expiresAtMs <= nowMs) tokens.delete(k);
  }

  return {
    check(req, route, name, nowMs) {
      const scopeName = REPO_ROUTES.has(route) ? name : undefined;
      const h = header(req, 'authorization');
      if (h === undefined || !/^bearer /i.test(h)) return challenge(req, scopeName, undefined);
      const t = tokens.get(h.slice(7).trim());
      if (t === undefined || t.expiresAtMs <= nowMs) return challenge(req, scopeName, 'invalid_token');
      if (scopeName !== undefined && !t.pull.has(scopeName)) return challenge(req, scopeName, 'insufficient_scope');
      return undefined;
    },
    token(req, nowMs) {
      const q = new URLSearchParams(req.query);
      const c = basicCredentials(req);
      let user: MockUser | undefined;
      if (c !== undefined) {
        user = findUser(bearer.users, c);
        if (user === undefined) return registryError(401, 'UNAUTHORIZED', 'incorrect username or password');
      }
      // Without credentials a token is still issued (as Docker Hub does), but it grants nothing unless
      // the registry allows anonymous pulls: the client then fails on the registry with insufficient_scope.
      const pull = new Set<string>();
      if (c !== undefined || bearer.anonymous === true) {
        for (const scopeParam of q.getAll('scope')) {
          for (const scope of scopeParam.split(' ')) {
            const [type, name, actions] = scope.split(':');
            if (type !== 'repository' || name === undefined || !actions?.split(',').includes('pull')) continue;
            if (mayPull(user, name)) pull.add(name);
          }
        }
      }
      prune(nowMs);
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, { username: user?.username, pull, expiresAtMs: nowMs + ttl * 1000 });
      const body = Buffer.from(JSON.stringify({ token, access_token: token, expires_in: ttl, issued_at: new Date().toISOString() }));
      return { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body };
    },
  };
}
