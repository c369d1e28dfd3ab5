/**
 * `pullpath verify`: would a disconnected cluster pull every image from its mirrors? Resolves each image,
 * runs the pull engine on the mirrors (never the source when it is forbidden), and prints one verdict
 * per image plus a summary. Exit 1 when any image would not be served by a mirror.
 */
import type { RunContext } from '../lifecycle.ts';
import { outputFlag, parseCommandArgs, wholeNumberFlag } from '../args.ts';
import { writeFile } from '../../src/fs-async.ts';
import { UsageError } from '../../src/errors.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { parsePlatform } from '../../src/registry/manifest.ts';
import { readImageList } from '../image-lists.ts';
import { runVerifyIndexed } from '../../src/verify/run-verify.ts';
import { summarizeVerdicts, type VerifyVerdict } from '../../src/verify/verdict.ts';
import { formatVerdictLine, formatVerifySummary } from '../../src/report/verify-text.ts';
import { formatVerifyJunit } from '../../src/report/verify-junit.ts';
import { verifySummaryJson, verifyVerdictJson } from '../../src/report/verify-json.ts';
import { createInputOrderWriter } from '../../src/report/input-order.ts';
import { configFlagOptions, configFlagsHelp, loadSetupFromFlags, signatureContextFromFlags, resolverFromSetup } from '../config-flags.ts';
import { clientFlagOptions, clientFlagsHelp, clientFromFlags, parseSeconds } from '../registry-client-flags.ts';
import { parseLogLevel } from '../trace/log-level.ts';
import { attemptLines } from '../trace/attempt-log.ts';
import { verifyMetricsText } from '../../src/report/verify-metrics.ts';
import { writeFileAtomic } from '../write-atomic.ts';
import { nodeNameFlag } from '../node-name.ts';

const DEFAULT_TIMEOUT_S = 30;
const DEFAULT_JOBS = 8;

export const help = `Usage: pullpath verify [config flags] [network flags] [--images FILE] [--release FILE]
                       [--no-source] [--check-blobs] [--check-signatures] [--jobs N] [--output text|json]
                       [--junit FILE] [REF...]

Proves that a disconnected cluster would pull every image from a mirror. For each image: resolve it with
the registries.conf rules, then pull its manifest from the mirrors the runtime would try, in order. An image
passes when a mirror serves its manifest (and, with --check-blobs, every blob); the source answering is not
enough. Failures say exactly why: not-mirrored, tag-on-digest-only, no-mirror, blocked, auth, unreachable,
not-a-registry, digest-mismatch, mirror-error, blobs-missing, source-only, policy, invalid-reference,
resolution-error, cancelled; with --check-signatures also signature-missing, signature-invalid,
identity-mismatch.

Images:
  REF...                     references (quay.io/org/app@sha256:…, registry.example.com/x:tag)
  --images FILE              one reference a line (# comments and blank lines skipped); repeatable
  --release FILE             an OpenShift release or operator image list, each image pinned by digest:
                             the whole output of "oc adm release info [--pullspecs] RELEASE" (its header is
                             skipped and counted; the release image itself is verified too), oc-mirror
                             mapping.txt (SRC=DST: the source), "NAME REF" lines, or one reference a line;
                             repeatable. Without --pullspecs oc prints only digests: the components are
                             verified in quay.io/openshift-release-dev/ocp-v4.0-art-dev for an OCP release
                             (quay.io/openshift/okd-content for OKD), else in the Pull From repository

Checks:
  --no-source                never contact an image's source (a disconnected cluster, NeverContactSource).
                             Default: the source is forbidden only where its [[registry]] is blocked; where it
                             is allowed and only it answers, the image still fails (source-only).
  --check-blobs              also check the config and every layer are served by the winning mirror
  --check-signatures         where the policy (--policy, or rendered from --openshift) requires signatures,
                             verify them as the runtime does: only from the source that served the image
                             (registries.d: --registries.d), no failover after a failure. New reasons:
                             signature-missing (the mirror has the image, not its signatures),
                             signature-invalid, identity-mismatch. verify stays an availability check:
                             a pass says the node can pull and accept the image, not that it is trustworthy
  --platform OS/ARCH[/VAR]   platform chosen in an index (default the host's)
  --jobs N                   images verified at once (default ${DEFAULT_JOBS})

Output:
  -o, --output text|json     text (default): one line per image, in input order, then the summary;
                             json: JSON Lines, {"type":"verify",…} per image (input order) and
                             {"type":"summary",…} last (schemas/verify.schema.json)
  --junit FILE               also write a JUnit XML report (one testcase per image)
  --metrics-file FILE        also write a summary as Prometheus metrics, in the format node_exporter's
                             textfile collector reads (name it *.prom in its directory; written whole, then
                             renamed): pullpath_verify_images{result}, pullpath_verify_failures{reason},
                             pullpath_verify_success, pullpath_verify_last_run_timestamp_seconds,
                             pullpath_verify_duration_seconds. Per node, never per image
  --node-name NAME           add node="NAME" to those metrics (default $NODE_NAME)
  --no-tui                   accepted for symmetry; verify prints progress to stderr on a terminal
  -h, --help                 this help

${clientFlagsHelp.replace('DEFAULT_TIMEOUT', `${DEFAULT_TIMEOUT_S}`)}

${configFlagsHelp}

Exit status: 0 every image is served by a mirror, 1 at least one is not, 2 bad usage or input.
`;

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    options: {
      ...configFlagOptions,
      ...clientFlagOptions,
      images: { type: 'string', multiple: true },
      release: { type: 'string', multiple: true },
      'no-source': { type: 'boolean' },
      'check-blobs': { type: 'boolean' },
      'check-signatures': { type: 'boolean' },
      platform: { type: 'string' },
      jobs: { type: 'string' },
      output: { type: 'string' },
      junit: { type: 'string' },
      'metrics-file': { type: 'string' },
      'node-name': { type: 'string' },
      'no-tui': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const { values, positionals } = parsed;
  const output = outputFlag(values.output) ?? 'text';
  const jobs = wholeNumberFlag('jobs', values.jobs) ?? DEFAULT_JOBS;
  const timeoutMs = parseSeconds('timeout', values.timeout, DEFAULT_TIMEOUT_S * 1000);
  const platform = values.platform !== undefined ? parsePlatform(values.platform) : undefined; // UsageError on bad input
  const debug = parseLogLevel(values) === 'debug';
  const node = nodeNameFlag(values['node-name']);

  const images = [...positionals];
  for (const f of values.images ?? []) images.push(...(await readImageList(f, false, 'verify')));
  for (const f of values.release ?? []) images.push(...(await readImageList(f, true, 'verify')));
  if (images.length === 0) throw new UsageError('no images: give references as arguments, or --images FILE / --release FILE');

  const setup = await loadSetupFromFlags(values);
  const { config, policy } = setup;
  if (values['check-signatures'] === true && policy === null) throw new UsageError('--check-signatures needs a policy: --policy FILE, or --openshift objects (their rendered policy.json)');
  const client = await clientFromFlags(values, { connections: Math.max(16, jobs), credentialHelpers: config.credentialHelpers, proxyEnv: setup.proxyEnv });
  const signatures = values['check-signatures'] === true ? await signatureContextFromFlags(values, setup, client) : null;
  const started = performance.now();
  const verdicts: VerifyVerdict[] = [];
  const progress = process.stderr.isTTY === true && images.length > 20;
  const out = process.stdout;
  // The report lists images in input order (a slow first image holds back the lines after it); the
  // stderr counter shows progress as images finish.
  const report = createInputOrderWriter<VerifyVerdict>((v) => out.write((output === 'json' ? JSON.stringify(verifyVerdictJson(v)) : formatVerdictLine(v)) + '\n'));
  try {
    for await (const { index, verdict: v } of runVerifyIndexed({
      compiled: compileConfig(config),
      ...(setup.containerd ? { resolve: resolverFromSetup(setup) } : {}),
      images,
      noSource: values['no-source'] === true ? true : null,
      checkBlobs: values['check-blobs'] === true,
      jobs,
      pull: { client, attemptTimeoutMs: timeoutMs, policy, signatures, ...(platform ? { platform } : {}) },
      signal: ctx.signal, // Ctrl-C, a closed output: images in flight end as cancelled, the summary still prints
    })) {
      verdicts.push(v);
      if (debug) process.stderr.write(attemptLines(v.attempts)); // the runtime's lines, per image as it finishes
      if (progress) {
        const failed = verdicts.filter((x) => !x.ok).length;
        process.stderr.write(`\r[${verdicts.length}/${images.length}] ${verdicts.length - failed} passed, ${failed} failed `);
      }
      report.push(index, v);
    }
  } finally {
    report.flush();
    if (progress) process.stderr.write('\n');
    await client.close();
  }
  const summary = summarizeVerdicts(verdicts);
  out.write(output === 'json' ? JSON.stringify(verifySummaryJson(summary)) + '\n' : '\n' + formatVerifySummary(summary) + '\n');
  if (values.junit !== undefined) await writeFile(values.junit, formatVerifyJunit(verdicts, performance.now() - started));
  if (values['metrics-file'] !== undefined) await writeFileAtomic(values['metrics-file'], await verifyMetricsText(verdicts, performance.now() - started, { node }), '--metrics-file');
  return summary.failed > 0 ? 1 : 0;
}
