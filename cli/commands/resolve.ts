/**
 * `pullpath resolve`: where a pull of each ARG goes under the registries.conf rules, offline, and why.
 * Exit 2 when the configuration does not load (or bad usage), 1 when any ARG has an error (after printing
 * all of them), else 0.
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import { UsageError } from '../../src/errors.ts';
import { formatResolutionJsonLine } from '../../src/report/resolution-json.ts';
import { formatResolutionText } from '../../src/report/resolution-text.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, resolverFromSetup } from '../config-flags.ts';
import { judgeResolution } from '../../src/policy/judge-resolution.ts';
import { anyProxy, withProxyRoutes } from '../../src/proxy/source-proxy.ts';
import { proxyWarnings, runProxyConfig } from '../proxy-env.ts';
import { writeOutput } from '../lifecycle.ts';

export const help = `Usage: pullpath resolve [config flags] [--output text|json] ARG...

Shows, without contacting any registry, what the container runtime would try for each ARG (with
--runtime containerd: the hosts.toml that applies, its hosts in try order with URL path, ?ns=,
capabilities and TLS, and hosts left out, e.g. a pull-only host for a tag): the
[[registry]] entry that matches (and the file:line it comes from), every source in try order (mirrors in
file order, then the primary location, always last), mirrors left out and why (digest-only mirrors for a
tag, tag-only mirrors for a digest), blocked sources with the runtime's error, insecure endpoints, and
rewrite errors that make the whole pull fail.

ARG forms:
  docker://REF   as the docker transport resolves it (skopeo): no short-name search, ":latest" added to a
                 bare name, a reference with both a tag and a digest refused
  REF            as podman and CRI-O pull it: a short name (no registry, e.g. "fedora:38") is resolved
                 through [aliases] (the user alias cache first) or unqualified-search-registries, with
                 short-name-mode applied as with no terminal (enforcing + several candidates is an error);
                 a fully qualified REF as docker://REF

Flags:
  -o, --output text|json     text (default): a readable chain per ARG; json: JSON Lines, one object per
                             ARG in order: {type:"resolve", image, normalized, registry, sources, skipped,
                             candidates, error, whatToDo} (and "policy": {allowed, scope, message} with
                             --policy or --openshift); with a proxy variable set, each source not blocked
                             has "proxy": {https, http} routes {url, via, reason,
                             error}; schemas/resolve.schema.json

Proxies: HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lower-case forms) as the runtime's Go code reads them, or
with --openshift the cluster's proxy.config.openshift.io object: each source says whether its requests
would go through a proxy, which one (credentials shown as ***), and why (the variable, the NO_PROXY entry,
"loopback is never proxied").
  --no-tui                   accepted for symmetry with other commands (resolve always prints plain text)
  -h, --help                 this help

${configFlagsHelp}

Exit status: 0 every ARG resolved, 1 an ARG has an error (parse, rewrite, short-name, transport) or is
rejected by the policy (all ARGs are still printed), 2 bad usage or a configuration that does not load (the error names the file).
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    options: { ...configFlagOptions, output: { type: 'string' }, 'no-tui': { type: 'boolean' } },
    allowPositionals: true,
  });
  const { values, positionals } = parsed;
  const output = outputFlag(values.output) ?? 'text';
  if (positionals.length === 0) throw new UsageError('expected at least one ARG (docker://REF or REF); see --help');

  // A ConfigError propagates to the dispatcher: exit 2 with the message naming the file.
  const setup = await loadSetupFromFlags(values);
  const { policy, proxyEnv } = setup;
  const proxy = runProxyConfig(proxyEnv);
  for (const w of proxyWarnings(proxy)) process.stderr.write(w + '\n');
  const resolveOne = resolverFromSetup(setup);

  let failed = false;
  const chunks: string[] = [];
  for (const arg of positionals) {
    const resolved = resolveOne(arg);
    const judged = policy === null ? resolved : judgeResolution(policy, resolved);
    // Proxies as the runtime would use them, when a proxy variable is set (text and JSON alike).
    const r = anyProxy(proxy) ? withProxyRoutes(proxy, judged) : judged;
    // A policy rejection means the pull would fail as surely as a rewrite error does.
    if (r.error !== null || r.policy?.allowed === false) failed = true;
    chunks.push(output === 'json' ? formatResolutionJsonLine(r) + '\n' : formatResolutionText(r) + '\n\n');
  }
  let out = chunks.join('');
  if (output === 'text') out = out.replace(/\n\n$/, '\n');
  writeOutput(out); // synchronously, without creating process.stdout: about 3 ms of start-up (cli/lifecycle.ts)
  return failed ? 1 : 0;
}
