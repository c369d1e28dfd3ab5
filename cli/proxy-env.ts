/**
 * The proxy settings of a run, as the runtime on the node would have them: the process environment
 * (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms, REQUEST_METHOD), or, with --openshift and a
 * proxy.config.openshift.io object, the environment the MCO gives CRI-O from it. Read once per run, as Go does.
 */
import { proxyConfigFromEnv, type ProxyConfig, type ProxyEnv } from '../src/proxy/proxy-for-url.ts';

export function runProxyConfig(clusterEnv?: ProxyEnv | null): ProxyConfig {
  return proxyConfigFromEnv(clusterEnv ?? process.env);
}

/** Proxy values Go cannot read: it ignores them silently (direct connections), so say so (credentials hidden). */
export function proxyWarnings(cfg: ProxyConfig): string[] {
  return cfg.invalid.map((i) => `warning: ${i.variable} is ignored by the runtime (Go: ${i.error}): its requests go direct`);
}
