/**
 * The network flags verify, probe and load share (named as skopeo/podman name them), and the registry
 * client they build. Spread `clientFlagOptions` into parseArgs, paste `clientFlagsHelp` into the help.
 */
import { UsageError } from '../src/errors.ts';
import { createRegistryClient, type RegistryClient } from '../src/registry/client.ts';
import { createDispatcherFactory } from '../src/registry/dispatcher-factory.ts';
import { HostMap } from '../src/registry/host-map.ts';
import { credentialFlagOptions, credentialFlagsHelp, credentialStoreFromFlags, type CredentialFlagValues } from './credential-flags.ts';
import { logFlagOptions, logFlagsHelp, parseLogLevel } from './trace/log-level.ts';
import { startHttpTrace } from './trace/http-trace.ts';
import { runProxyConfig } from './proxy-env.ts';
import type { ProxyEnv } from '../src/proxy/proxy-for-url.ts';

export const clientFlagOptions = {
  authfile: { type: 'string' },
  'cert-dir': { type: 'string' },
  'tls-verify': { type: 'string' },
  'connect-to': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  ...credentialFlagOptions,
  ...logFlagOptions,
} as const;

export const clientFlagsHelp = `Network:
  --authfile FILE            credentials (containers-auth.json); default $REGISTRY_AUTH_FILE, then
                             $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,
                             ~/.docker/config.json, ~/.dockercfg (--authfile replaces only the first).
                             A mirror uses its own host's credentials.
  --cert-dir DIR             TLS material for every host (default certs.d per host:
                             ~/.config/containers/certs.d, /etc/containers/certs.d, /etc/docker/certs.d)
  --tls-verify=false         skip TLS verification and allow plain HTTP for every endpoint
  --connect-to HOST[:PORT]:ADDR:PORT
                             dial HOST at ADDR:PORT instead (as curl's); repeatable. TLS SNI, Host and
                             references keep HOST. Use it to point configured names at test servers.
  --timeout S                per-attempt deadline in seconds (default DEFAULT_TIMEOUT)
  (environment)              HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lower case) as the runtime's
                             Go code reads them; loopback is never proxied. Proxy failures have
                             class "proxy"; \`pullpath resolve\` shows each source's route and why.

${credentialFlagsHelp}

${logFlagsHelp}`;

export interface ClientFlagValues extends CredentialFlagValues {
  authfile?: string | undefined;
  'cert-dir'?: string | undefined;
  'tls-verify'?: string | undefined;
  'connect-to'?: string[] | undefined;
  timeout?: string | undefined;
  'log-level'?: string | undefined;
  debug?: boolean | undefined;
}

export function parseTlsVerify(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'true' || v === '') return true;
  if (v === 'false') return false;
  throw new UsageError(`--tls-verify: expected true or false, got "${v}"`);
}

/** Seconds (decimal allowed) → ms; UsageError naming the flag otherwise. */
export function parseSeconds(flag: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v.replace(/s$/, ''));
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag}: expected a number of seconds > 0, got "${v}"`);
  return Math.round(n * 1000);
}

export function hostMapFromFlags(values: ClientFlagValues): HostMap {
  return HostMap.parse(values['connect-to'] ?? []);
}

/** Builds the one registry client of the run. `connections` caps each origin's pool (null: no cap, as load uses). */
export async function clientFromFlags(values: ClientFlagValues, opts: { connections?: number | null; proxyEnv?: ProxyEnv | null; credentialHelpers?: string[] } = {}): Promise<RegistryClient> {
  const hostMap = hostMapFromFlags(values);
  const tlsVerify = parseTlsVerify(values['tls-verify']);
  // registries.conf credential-helpers, when the command loaded a configuration.
  const credentials = await credentialStoreFromFlags(values, opts.credentialHelpers);
  // Proxies as the runtime reads them (the environment, or the cluster's Proxy object with --openshift).
  const proxy = runProxyConfig(opts.proxyEnv);
  const dispatchers = createDispatcherFactory({ hostMap, proxy, ...(opts.connections !== undefined ? { connectionsPerOrigin: opts.connections } : {}) });
  const client = createRegistryClient({
    dispatchers,
    hostMap,
    credentials,
    ...(tlsVerify !== undefined ? { tlsVerify } : {}),
    ...(values['cert-dir'] !== undefined ? { certs: { certDir: values['cert-dir'] } } : {}),
  });
  // --log-level debug: the HTTP trace, taken from undici's diagnostics channels (credentials redacted).
  const stopTrace = parseLogLevel(values) === 'debug' ? startHttpTrace({ write: (s) => process.stderr.write(s), redactor: client.redactor }) : () => {};
  // The client does not own an injected factory: close both.
  return { ...client, redactor: client.redactor, close: async () => { stopTrace(); await client.close(); await dispatchers.close(); } };
}
