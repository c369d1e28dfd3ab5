/**
 * `pullpath pull`: pulls manifests for real, attempt by attempt, as the runtime would, and shows every
 * attempt. Resolution (registries.conf) → pull engine (src/pull) → a view: the TUI at a terminal, text
 * otherwise, JSON Lines with --output json. Exit 0 every image pulled, 1 any failed, 2 bad input.
 */
import { logFlagOptions, logFlagsHelp, parseLogLevel, type LogLevel } from '../trace/log-level.ts';
import { createAttemptLogger } from '../trace/attempt-log.ts';
import { startHttpTrace } from '../trace/http-trace.ts';
import { parseSeconds } from '../registry-client-flags.ts';
import { outputFlag, parseCommandArgs, wholeNumberFlag } from '../args.ts';
import { UsageError } from '../../src/errors.ts';
import { readInput } from '../../src/read-input.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { runProxyConfig } from '../proxy-env.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { credentialFlagOptions, credentialFlagsHelp, credentialStoreFromFlags, type CredentialFlagValues } from '../credential-flags.ts';
import { parsePlatform, type Platform } from '../../src/registry/manifest.ts';
import { imageLabels, pullImages } from '../../src/pull/pull-images.ts';
import type { PullEvent, ResultEvent } from '../../src/events/pull-events.ts';
import { createPullTextWriter } from '../../src/report/pull-text.ts';
import { createPullJsonWriter } from '../../src/report/pull-jsonl.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, signatureContextFromFlags, type ConfigFlagValues, resolverFromSetup } from '../config-flags.ts';
import { shouldUseTui } from '../tui/should-use-tui.ts';
import { linkedController, type RunContext } from '../lifecycle.ts';

export const help = `Usage: pullpath pull [config flags] [flags] REF...

Pulls each image's manifest over the registry v2 API exactly where the runtime would: mirrors in file order,
then the primary; the first source whose ping answers 200/401 and whose manifest GET answers 200 wins.
Every attempt is shown (reference, endpoint, outcome, HTTP status, time, the runtime's error), then the
verdict and the final error worded as containers/image words it. Only manifests are fetched (and, with
--check-blobs, blob existence): no layer is downloaded.

REF forms (as in \`pullpath resolve\`): docker://REF (skopeo's docker transport: :latest added, no short-name
search) or a bare REF (podman/CRI-O: short names aliased or searched, candidates tried in order until one pulls).

Flags:
  --authfile FILE        containers-auth.json to use (default: $REGISTRY_AUTH_FILE, else
                         $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,
                         ~/.docker/config.json, ~/.dockercfg; --authfile replaces only the first). A mirror
                         uses its own host's entry. Secrets are never shown.
  --cert-dir DIR         TLS material (*.crt CAs, *.cert/*.key client pairs) for every host (default per host:
                         ~/.config/containers/certs.d/HOST[:PORT], /etc/containers/certs.d/…, /etc/docker/certs.d/…)
  --tls-verify=false     every endpoint insecure: skip TLS verification, fall back to plain http
                         (--tls-verify=true: none insecure, even those marked insecure in registries.conf)
  --connect-to H[:P]:ADDR:PORT
                         dial ADDR:PORT for registry host H (port P, or any port); SNI, Host header and the
                         references shown stay H. Repeatable. Lets configs name real hosts while tests run locally.
  --platform OS/ARCH[/VARIANT]
                         instance chosen in an image index / manifest list (default: this host's)
  --check-blobs          HEAD the config and every layer on the chosen source and list what is missing
                         (the runtime never fails over at the blob stage: a missing blob fails the pull)
  --timeout S            per-attempt deadline in seconds (default 30). The runtime itself has no response
                         timeout: where it would wait forever, the attempt says so.
  --overall-timeout S    deadline for the whole run (default: none)
  --jobs N               images in flight at once (default 4)
  --images FILE          more references, one a line (# comments and blank lines ignored)
  -o, --output text|json
                         text, or JSON Lines of the events (image, attempt, result), each image's
                         records together, images in input order; implies no TUI
  --no-tui               plain text even at a terminal
  -h, --help             this help

${credentialFlagsHelp}

${logFlagsHelp}

${configFlagsHelp}

Exit status: 0 every image pulled, 1 any image failed, 2 bad usage or bad input (unparseable reference, config error).
`;

interface PullFlags {
  refs: string[];
  output: 'text' | 'json' | undefined;
  noTui: boolean;
  timeoutMs: number;
  overallTimeoutMs: number | undefined;
  jobs: number;
  platform: Platform | undefined;
  checkBlobs: boolean;
  tlsVerify: boolean | undefined;
  connectTo: string[];
  authFile: string | undefined;
  creds: CredentialFlagValues;
  certDir: string | undefined;
  logLevel: LogLevel;
  config: ConfigFlagValues;
}

async function parseFlags(argv: string[]): Promise<PullFlags> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...configFlagOptions,
      authfile: { type: 'string' },
      'cert-dir': { type: 'string' },
      'tls-verify': { type: 'string' },
      'connect-to': { type: 'string', multiple: true },
      platform: { type: 'string' },
      'check-blobs': { type: 'boolean' },
      timeout: { type: 'string' },
      'overall-timeout': { type: 'string' },
      jobs: { type: 'string' },
      images: { type: 'string' },
      output: { type: 'string' },
      'no-tui': { type: 'boolean' },
      ...credentialFlagOptions,
      ...logFlagOptions,
    },
  });
  const v = parsed.values;
  const output = outputFlag(v.output);
  const tv = v['tls-verify'];
  if (tv !== undefined && tv !== 'true' && tv !== 'false') throw new UsageError(`--tls-verify: expected true or false, got "${tv}" (write --tls-verify=false)`);
  const jobs = wholeNumberFlag('jobs', v.jobs) ?? 4;
  const refs = [...parsed.positionals];
  if (v.images !== undefined) {
    let text: string;
    try {
      ({ text } = await readInput(v.images, '--images'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--images ${v.images}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    for (const line of text.split('\n')) {
      const t = line.replace(/#.*$/, '').trim();
      if (t) refs.push(t);
    }
  }
  if (refs.length === 0) throw new UsageError('no image given: pass REF arguments or --images FILE (see pullpath pull --help)');
  return {
    refs,
    output,
    // Debug lines go to stderr as they happen: they would tear the TUI's frame, so debug means plain text.
    noTui: v['no-tui'] === true || parseLogLevel(v) === 'debug',
    timeoutMs: parseSeconds('timeout', v.timeout, 30_000),
    overallTimeoutMs: v['overall-timeout'] === undefined ? undefined : parseSeconds('overall-timeout', v['overall-timeout'], 0),
    jobs,
    platform: v.platform === undefined ? undefined : parsePlatform(v.platform),
    checkBlobs: v['check-blobs'] === true,
    tlsVerify: tv === undefined ? undefined : tv === 'true',
    connectTo: v['connect-to'] ?? [],
    authFile: v.authfile,
    creds: { creds: v.creds, username: v.username, password: v.password, 'no-creds': v['no-creds'] },
    certDir: v['cert-dir'],
    logLevel: parseLogLevel(v),
    config: {
      'registries-conf': v['registries-conf'],
      'registries-conf-dir': v['registries-conf-dir'],
      'short-name-aliases': v['short-name-aliases'],
      compat: v.compat,
      policy: v.policy,
      'registries.d': v['registries.d'],
      ...(v.openshift !== undefined ? { openshift: v.openshift } : {}),
      ...(v['release-image'] !== undefined ? { 'release-image': v['release-image'] } : {}),
      ...(v['ocp-version'] !== undefined ? { 'ocp-version': v['ocp-version'] } : {}),
      // --runtime containerd, --hosts-dir, --containerd-config (cli/containerd-flags.ts)
      ...(v.runtime !== undefined ? { runtime: v.runtime } : {}),
      ...(v['hosts-dir'] !== undefined ? { 'hosts-dir': v['hosts-dir'] } : {}),
      ...(v['containerd-config'] !== undefined ? { 'containerd-config': v['containerd-config'] } : {}),
    },
  };
}

/** References the user must fix (not a pull failure): exit 2. */
function isBadInput(r: Resolution): boolean {
  return r.error !== null && (r.errorKind === 'parse' || r.errorKind === 'transport');
}

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const flags = await parseFlags(argv);
  const hostMap = HostMap.parse(flags.connectTo);
  const setup = await loadSetupFromFlags(flags.config);
  const { config: conf, policy } = setup;
  // containers/image's rules, or containerd's under --runtime containerd (hosts.toml, then containerd's resolver).
  const resolveOne = resolverFromSetup(setup);
  const resolutions = flags.refs.map((ref) => resolveOne(ref));
  const credentials = await credentialStoreFromFlags({ ...flags.creds, authfile: flags.authFile }, setup.config.credentialHelpers);
  const dispatchers = createDispatcherFactory({ hostMap, proxy: runProxyConfig(setup.proxyEnv) });
  const client = createRegistryClient({
    dispatchers,
    credentials,
    // --compat 5.40 words registry errors as current c/image (`manifest unknown`); 5.23 as skopeo 1.9.3 (`manifest unknown: manifest unknown`).
    errorStyle: conf.compat === '5.40' ? 'current' : 'skopeo-1.9',
    ...(flags.tlsVerify !== undefined ? { tlsVerify: flags.tlsVerify } : {}),
    ...(flags.certDir !== undefined ? { certs: { certDir: flags.certDir } } : {}),
  });
  // Ctrl-C and a closed output stop the run (cli/lifecycle.ts); the TUI's q aborts this controller too.
  const abort = linkedController(ctx.signal);
  const events = pullImages(
    resolutions,
    {
      client,
      jobs: flags.jobs,
      attemptTimeoutMs: flags.timeoutMs,
      checkBlobs: flags.checkBlobs,
      policy,
      // As the runtime: when the policy requires signatures for an image, they are verified (from the source that served it).
      signatures: await signatureContextFromFlags(flags.config, setup, client),
      ...(flags.platform ? { platform: flags.platform } : {}),
      ...(flags.overallTimeoutMs !== undefined ? { overallTimeoutMs: flags.overallTimeoutMs } : {}),
    },
    abort.signal,
  );
  // --log-level debug: the runtime's lines from the events, and the HTTP trace from undici (both to stderr).
  const debug = flags.logLevel === 'debug';
  const stopTrace = debug ? startHttpTrace({ write: (s) => process.stderr.write(s), redactor: client.redactor }) : () => {};
  const logAttempt = createAttemptLogger((s) => process.stderr.write(s));
  try {
    const results = await view(debug ? tap(events, logAttempt) : events, flags, abort, imageLabels(resolutions));
    const badInput = resolutions.some(isBadInput);
    if (badInput) return 2;
    return results.length === resolutions.length && results.every((r) => r.ok) ? 0 : 1;
  } finally {
    stopTrace();
    credentials.close(); // credential helpers an attempt gave up on
    await dispatchers.close();
  }
}

async function view(events: AsyncIterable<PullEvent>, flags: PullFlags, abort: AbortController, order: string[]): Promise<ResultEvent[]> {
  // The engine started just before this call; loading Ink below takes a while and must count in the elapsed time.
  const startedAt = performance.now();
  if (flags.output === 'json') {
    // Each image's records together, images in input order (schemas/pull.schema.json).
    const writer = createPullJsonWriter((s) => process.stdout.write(s), order);
    for await (const e of events) writer.push(e);
    return writer.end();
  }
  if (shouldUseTui({ stdout: process.stdout, env: process.env, flags: { noTui: flags.noTui, output: flags.output } })) {
    // ── TUI hook ── the Ink view (cli/tui/, loaded lazily so text runs never load Ink). If it cannot load,
    // fall back to text below.
    const tui = await import('../tui/render.tsx').catch(() => null);
    if (tui) {
      // The view stays until q (when keys can be read). Then the report that --no-tui prints follows on the
      // normal screen: the text writer reads the same events, and its output waits until Ink has unmounted.
      const report: string[] = [];
      const writer = createPullTextWriter((s) => report.push(s), order);
      const tapped = tap(events, (e) => writer.push(e));
      // Ctrl-C / a closed output quit the view too (abort is linked to the run's signal).
      await tui.renderPull(tapped, { title: 'pull', abort, signal: abort.signal, keepOpen: true, printSummary: false, startedAt });
      const results = writer.end();
      process.stdout.write(report.join(''));
      return results;
    }
  }
  const writer = createPullTextWriter((s) => process.stdout.write(s), order);
  for await (const e of events) writer.push(e);
  return writer.end();
}

async function* tap<T>(source: AsyncIterable<T>, fn: (v: T) => void): AsyncIterable<T> {
  for await (const v of source) {
    fn(v);
    yield v;
  }
}
