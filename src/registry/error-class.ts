/** Machine-readable failure classes (re-exported by `src/events/pull-events.ts`, which is the event contract). */
export type ErrorClass =
  | 'refused' // TCP connection refused (no listener)
  | 'proxy' // the proxy failed: refused or unreachable, 407 Proxy Authentication Required, CONNECT refused, SOCKS error
  | 'dns' // host name does not resolve
  | 'tls' // TLS handshake / certificate failure
  | 'http-to-https' // plain-HTTP server contacted over HTTPS ("server gave HTTP response to HTTPS client")
  | 'timeout' // per-attempt or overall deadline reached (includes a blackholed endpoint)
  | 'reset' // connection reset / closed mid-response
  | 'unauthorized' // 401 after auth was attempted (with credentials: rejected; without: none were found)
  | 'credentials' // looking up credentials failed before any request (a credential helper failed, an auth entry is not base64)
  | 'forbidden' // 403
  | 'not-found' // 404 (manifest unknown, name unknown, not mirrored)
  | 'rate-limited' // 429
  | 'server-error' // 5xx
  | 'digest-mismatch' // content does not match the requested or announced digest
  | 'not-a-registry' // HTML page, missing API header, wrong content type (captive portal, login proxy)
  | 'too-large' // body over the limit
  | 'blocked' // refused by registries.conf (blocked = true), no network traffic
  | 'policy' // rejected by policy.json
  | 'config' // resolution/rewrite error before any network access
  | 'http-error' // any other unexpected HTTP status
  | 'signature-missing' // policy.json requires a signature and the source that served the image has none for it
  | 'signature-invalid' // a signature is there but does not verify (bad signature, wrong digest, malformed, unreadable store)
  | 'identity-mismatch' // a valid signature, but for another image name than the policy's signedIdentity accepts
  | 'untrusted-key' // signed by a key the policy does not trust (or its keys cannot be read)
  | 'cancelled' // the run was stopped (Ctrl-C, a closed output, `q` in the TUI) while this attempt was in flight
  | 'other';
