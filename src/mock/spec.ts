/**
 * The mock registry's description: plain data, written by hand in scenario TOML or built in tests.
 *
 * The TypeScript types use camelCase. In TOML the same keys are written in kebab-case, like
 * registries.conf does (`retry-after`, `bytes-per-second`, `after-bytes`, `token-ttl`);
 * `parseMockRegistrySpec` (spec-parse.ts) accepts both spellings and turns them into these types.
 *
 * @example TOML, as a scenario embeds it
 * ```toml
 * [[registry]]
 * host = "mirror.example.com"
 * images = [ { repository = "org/app", tags = ["1.4"], platforms = ["linux/amd64", "linux/arm64"], layers = [1024, "16MiB"] } ]
 * auth = { type = "bearer", users = [ { username = "ci", password = "s3cret" } ] }
 * tls = true
 *
 * [[registry.fault]]
 * kind = "status"
 * status = 503
 * route = "manifest"
 * from = 2
 * to = 5
 * ```
 */

/** `/v2/` ping, manifests, blobs, tag list, catalog, and the Bearer token endpoint. */
export type RouteName = 'ping' | 'manifest' | 'blob' | 'tags' | 'catalog' | 'token';

/** One image (single-platform manifest, or an index when several platforms are given). */
export interface MockImageSpec {
  /** Repository path inside the registry, as the client asks for it: `org/app`, `library/busybox`. */
  repository: string;
  /** Tags pointing at this image. Default `["latest"]`. A tag listed by two images of one repository: the later wins. */
  tags?: string[];
  /** `os/arch[/variant]`. One → a plain manifest; several → an OCI index (or Docker manifest list). Default `["linux/amd64"]`. */
  platforms?: string[];
  /** Layer sizes in bytes (or strings such as `"16MiB"`, `"1GB"` in TOML). Default `[1024]`. Large layers are streamed. */
  layers?: Array<number | string>;
  /** `oci` (default): OCI manifest/index media types. `docker`: Docker schema2 manifest / manifest list. */
  format?: 'oci' | 'docker';
  /**
   * What the bytes are derived from. Two images with the same `content`, platforms, layers and format have
   * the same digest wherever they are served: that is how a mirror "holds" its source's image even under a
   * different repository path. Default: the repository's last path component (`app` for `org/app`).
   */
  content?: string;
  /**
   * `sigstore`: serve a cosign-style `sha256-<hex>.sig` attachment for the image; `gpg`: a simple-signing GPG
   * signature in the registry's lookaside store (`/lookaside/<repository>@sha256=<hex>/signature-1`). Default: the
   * registry's `signatures`. `none`: never.
   */
  signatures?: 'sigstore' | 'gpg' | 'none';
  /** The name the signature claims (`critical.identity.docker-reference`, the first tag appended). Default `<host>/<repository>`: set it to the source's name for a mirror. */
  signedName?: string;
}

/** A user allowed by Basic or Bearer auth. */
export interface MockUser {
  username: string;
  password: string;
  /** Bearer only: repository globs this user may pull (`*` matches any characters). Default: all. */
  repositories?: string[];
}

/** How the registry authenticates requests to `/v2/…`. */
export type MockAuthSpec =
  | { type: 'none' }
  /** `WWW-Authenticate: Basic realm="…"`, credentials checked on every request. */
  | { type: 'basic'; users: MockUser[]; realm?: string }
  /**
   * `WWW-Authenticate: Bearer realm="<origin>/token",service="…",scope="repository:NAME:pull"`.
   * The token endpoint `GET /token` is served by the same server.
   */
  | {
      type: 'bearer';
      users?: MockUser[];
      /** Grant pull tokens to requests without credentials. Default false (anonymous tokens carry no access). */
      anonymous?: boolean;
      /** `service` in the challenge. Default: the registry's `host`. */
      service?: string;
      /** Absolute realm URL. Default: `<scheme>://<Host header>/token`, so a host map routes it too. */
      realm?: string;
      /** Token lifetime in seconds (`expires_in`). Default 300. */
      tokenTtl?: number;
    };

/** Fault kinds. See `FaultRule`. */
export type FaultKind =
  | 'refuse'
  | 'blackhole'
  | 'latency'
  | 'slow-body'
  | 'status'
  | 'flaky'
  | 'wrong-digest'
  | 'html'
  | 'truncate'
  | 'reset'
  | 'stale-tag'
  | 'not-manifest'
  | 'deep-json'
  | 'redirect'
  | 'big-header'
  | 'lying-digest'
  | 'tls-bytes'
  | 'signature-missing'
  | 'signature-wrong-key'
  | 'signature-wrong-digest'
  | 'signature-wrong-identity';

/**
 * Which requests a rule applies to, and when. Every given matcher must match; an absent one matches all.
 * Times are seconds since the registry (or the set of registries) started, on its clock.
 */
export interface FaultMatch {
  /** HTTP method(s), upper case: `HEAD`, `GET`. */
  method?: string | string[];
  /** Path glob; `*` matches any characters, `/` included (`/v2/org/app/manifests/v*`). The query string is ignored. */
  path?: string;
  /** Route name(s): `ping`, `manifest`, `blob`, `tags`, `catalog`, `token`. */
  route?: RouteName | RouteName[];
  /** Repository glob (`org/*`), for manifest, blob and tag routes. */
  repository?: string;
  /** Tag or digest glob (`1.*`, `sha256:*`), for manifest and blob routes. */
  reference?: string;
  /** Active from this second (inclusive). Default 0. */
  from?: number;
  /** Active until this second (exclusive). Default: forever. */
  to?: number;
  /** Fire at most this many times (over the registry's life). Default: unlimited. */
  count?: number;
  /** Fire with this probability (0–1) when everything else matches, from the seeded generator. Default 1. */
  probability?: number;
}

/** Latency before the response headers. Fixed `ms`, or a seeded distribution. */
export type LatencySpec =
  | { ms: number; distribution?: 'fixed' }
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'normal'; mean: number; stddev: number }
  | { distribution: 'exponential'; mean: number };

/**
 * One fault rule. Rules are checked in order for each request; every matching rule fires.
 * Modifiers combine (`latency`, `slow-body`, `truncate`, `wrong-digest`, `stale-tag`); the first matching
 * rule that replaces the answer (`status`, `html`, `blackhole`, `reset`, or a `flaky` wrapping one) wins.
 */
export type FaultRule = FaultMatch &
  (
    | /** No listener while active: the port is closed (connections refused). Request matchers and `count` do not apply. */
    { kind: 'refuse' }
    /** Accept the request and never answer (until the registry closes). */
    | { kind: 'blackhole' }
    | ({ kind: 'latency' } & LatencySpec)
    /** Send the body at this rate. */
    | { kind: 'slow-body'; bytesPerSecond: number }
    /**
     * Answer with this status and the distribution error body: 404 MANIFEST_UNKNOWN/BLOB_UNKNOWN ("not mirrored"),
     * 401 UNAUTHORIZED, 403 DENIED, 429 TOOMANYREQUESTS (with `Retry-After: retryAfter`), 500 UNKNOWN,
     * 502 (plain text, as a proxy writes it), 503 UNAVAILABLE. `code`/`message` override the body.
     */
    | { kind: 'status'; status: number; retryAfter?: number; code?: string; message?: string }
    /** With `probability` p (default 0.5), apply `fault` (default `{ kind: 'status', status: 503 }`). */
    | { kind: 'flaky'; fault?: FaultRule }
    /** Serve different bytes (same length) than the `Docker-Content-Digest` / requested digest. */
    | { kind: 'wrong-digest' }
    /** 200 with an HTML login page and no registry headers (captive portal, proxy login). */
    | { kind: 'html' }
    /** Cut the body after `afterBytes` (default 0) bytes and close the connection cleanly (FIN). */
    | { kind: 'truncate'; afterBytes?: number }
    /** Destroy the socket (TCP RST). Without `afterBytes`, before any response; with it, after headers and that many body bytes. */
    | { kind: 'reset'; afterBytes?: number }
    /**
     * Tags of matching images resolve to a different image: the same description with `content` replaced
     * (default: `<content>~stale`). Its manifests and blobs are served too, so a pull completes with the wrong image.
     */
    | { kind: 'stale-tag'; content?: string }
    /** 200 with a JSON body that is no manifest (default `{"status":"ok"}`, `application/json`): the runtime reads it as schema 1 and fails. */
    | { kind: 'not-manifest'; body?: string; contentType?: string }
    /** 200 with an OCI index whose `manifests` nests `depth` arrays (default 100000): over Go's JSON depth limit. */
    | { kind: 'deep-json'; depth?: number }
    /**
     * Redirect (`status` 301, 302, 303, 307 or 308; default 307) to `location`. A location without a path
     * (`http://other.example.com:5000`) gets the request's path, so a whole registry can be sent to another mock.
     */
    | { kind: 'redirect'; location: string; status?: number }
    /** Add a header of `bytes` bytes (default 1 MiB) to the answer; `header` default `www-authenticate` (a Basic challenge). */
    | { kind: 'big-header'; bytes?: number; header?: string }
    /** Announce a wrong `Docker-Content-Digest` while serving the right bytes. */
    | { kind: 'lying-digest' }
    /** Answer with TLS alert bytes and close: a TLS-only listener read by a plain-HTTP client. */
    | { kind: 'tls-bytes' }
    /** Signed images matching `repository`/`reference` (tag glob) get no `.sig` tag. Content fault: time and count matchers do not apply. */
    | { kind: 'signature-missing' }
    /** Their signature is made with another (unpublished) key. */
    | { kind: 'signature-wrong-key' }
    /** Their signed payload names another manifest digest. */
    | { kind: 'signature-wrong-digest' }
    /** Their signed payload names another reference (`identity`; default `<signed name>-unsigned:<tag>`). */
    | { kind: 'signature-wrong-identity'; identity?: string }
  );

/** One mock registry. */
export interface MockRegistrySpec {
  /** The host name clients know it by (`mirror.example.com`, `quay.io:443`): data, never dialled. */
  host: string;
  images?: MockImageSpec[];
  /** Default `{ type: 'none' }`. */
  auth?: MockAuthSpec;
  /** Serve HTTPS with a generated CA and certificate. Default false (plain HTTP). */
  tls?: boolean;
  /** Declared down: nothing ever listens on its port (connection refused). */
  down?: boolean;
  /** Fault rules, in order. TOML: `[[registry.fault]]`. */
  faults?: FaultRule[];
  /** `sigstore` / `gpg`: sign every image that way (each may say otherwise, or `none`). Default: only images that ask. */
  signatures?: 'sigstore' | 'gpg' | 'none';
}
