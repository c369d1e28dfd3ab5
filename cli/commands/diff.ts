/**
 * `pullpath diff BEFORE AFTER [REF...]`: what a configuration change does before it is made — every image
 * whose pull changes, and what the MCO does on the nodes. Thin: flags and sides here (cli/diff/), the
 * engine in src/diff/, the reports in src/report/diff-*.ts.
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import { UsageError } from '../../src/errors.ts';
import { closest } from '../../src/did-you-mean.ts';
import { runDiff } from '../../src/diff/run-diff.ts';
import { ocpMinor } from '../../src/diff/mco-impact.ts';
import { CHANGE_KINDS, type DiffResult } from '../../src/diff/types.ts';
import { formatDiffJsonLines } from '../../src/report/diff-json.ts';
import { formatDiffMarkdown } from '../../src/report/diff-markdown.ts';
import { formatDiffText } from '../../src/report/diff-text.ts';
import { readImageList } from '../image-lists.ts';
import { liveCheck } from '../../src/diff/live.ts';
import { clientFlagOptions, clientFromFlags, parseSeconds } from '../registry-client-flags.ts';
import type { RunContext } from '../lifecycle.ts';
import { detectKind, loadSide, sideFlagOptions, specFromFlags, type SideSpec } from '../diff/diff-sides.ts';

export const help = `Usage: pullpath diff BEFORE AFTER [REF...] [flags]

What a configuration change does, before it is made: every image whose pull
changes between BEFORE and AFTER, and what the Machine Config Operator does on
the nodes to apply it. Nothing is contacted.

BEFORE and AFTER are each a configuration, in any pairing:
  a registries.conf FILE   (drop-ins from FILE.d if it exists, or from
                           --before/after-registries-conf-dir)
  cluster objects          image.config, ICSP, IDMS, ITMS YAML (file or folder),
                           rendered as the MCO does (as --openshift)
  a node's root            a directory holding etc/containers (e.g. a
                           must-gather copy), read as \`render --diff\` reads it
  a containerd hosts dir   certs.d/<host>/hosts.toml, resolved as containerd
                           does (--runtime containerd; --compat 1.6|1.7|2.x)
given as positional paths (the kind is detected: a directory with
etc/containers is a root, one whose subdirectories hold hosts.toml a hosts
dir, another directory or a .yaml/.yml/.json file is cluster objects, any
other file a registries.conf) or with flags, per side:
  --before-registries-conf FILE   --after-registries-conf FILE
  --before-registries-conf-dir D  --after-registries-conf-dir D
  --before-openshift PATH         --after-openshift PATH   (repeatable)
  --before-root DIR               --after-root DIR
  --before-hosts-dir DIR          --after-hosts-dir DIR    (repeatable)
  --before-policy FILE            --after-policy FILE
A side given by flags takes no positional; the positionals left are REFs.
Cluster objects against a node root are applied onto that node (its other
drop-ins stay). Policy verdicts are compared when both sides have a policy
(cluster objects render one; a root's etc/containers/policy.json is read).

Images:
  REF...              references to compare (as \`resolve\` takes them)
  --images FILE       one reference a line (repeatable)
  --release FILE      an OpenShift release or operator image list (as verify)
With none, a synthetic set covers both configurations: for every prefix and
mirror, a reference under it by tag and by digest; and when search registries,
aliases or short-name-mode differ, every alias and a short name.

Flags:
  -o, --output text|json|markdown
                      text (default); json: JSON Lines (schemas/diff.schema.json):
                      {type:"image"} per changed image, {type:"file"} per
                      changed node file, {type:"impact"}, {type:"summary"};
                      markdown: a pull-request comment
  --fail-on LIST      exit 1 when any of these happens (comma-separated):
                      ${CHANGE_KINDS.join(', ')};
                      drain, reboot, reload (node impact); live-regression
                      (with --live); any (any change)
  --ocp-version V     release line for rendering and for the MCO's rules:
                      current (default) or e.g. 4.12
  --release-image REF the release payload (as render)
  --compat VERSION    containers/image behaviour: 5.23 (default) or 5.40; for
                      hosts.toml sides, containerd's: 1.6 (default), 1.7 or 2.x
  --short-name-aliases FILE  user short-name alias cache (both sides)
  --live              also pull each changed image's manifest through BEFORE and
                      through AFTER, and report the pulls that work today and
                      fail after (--fail-on live-regression); network flags as
                      \`pull\`: --connect-to, --authfile, --cert-dir,
                      --tls-verify, --timeout S (default 30), --log-level
  -h, --help          this help

Node impact, by the MCO's rules (pkg/daemon/update.go, drain.go): registries.conf
→ CRI-O reload (4.7+), drained unless only digest-only mirrors were added
(4.8+); policy.json → reload (4.10+); registries.d → reload (4.16+);
/etc/crio/policies → reload (4.18+); the search drop-in and anything else →
drain and reboot.

Exit status: 0 done (no --fail-on condition met), 1 a --fail-on condition met,
2 bad usage or a configuration that does not load.
`;

const IMPACT_WORDS = ['drain', 'reboot', 'reload', 'live-regression', 'any'] as const;

/** `--fail-on` words, checked (with a did-you-mean for a typo). */
export function parseFailOn(value: string | undefined): Set<string> {
  const out = new Set<string>();
  if (value === undefined) return out;
  const known = [...CHANGE_KINDS, ...IMPACT_WORDS] as string[];
  for (const w of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!known.includes(w)) {
      const s = closest(w, known);
      throw new UsageError(`--fail-on: unknown condition "${w}"${s !== undefined ? `; did you mean "${s}"?` : ''} (expected: ${known.join(', ')})`);
    }
    out.add(w);
  }
  return out;
}

/** Which --fail-on conditions the result meets. */
export function failOnMet(r: DiffResult, failOn: ReadonlySet<string>): string[] {
  const met = new Set<string>();
  for (const c of r.changed) for (const k of c.changes) if (failOn.has(k)) met.add(k);
  if (failOn.has('any') && (r.changed.length > 0 || r.impact !== null)) met.add('any');
  if (r.impact !== null) {
    if (failOn.has('drain') && r.impact.drain) met.add('drain');
    if (failOn.has('reboot') && r.impact.reboot) met.add('reboot');
    if (failOn.has('reload') && r.impact.action !== 'none') met.add('reload');
  }
  if (failOn.has('live-regression') && r.live?.some((l) => l.regression) === true) met.add('live-regression');
  return [...met];
}

const DROPIN_PREFIX = '/etc/containers/registries.conf.d/';

/** Copies of both node-file maps where a drop-in only one side has is stated absent on the other. */
function stateMissingDropins(a: ReadonlyMap<string, string | null>, b: ReadonlyMap<string, string | null>): [Map<string, string | null>, Map<string, string | null>] {
  const out: [Map<string, string | null>, Map<string, string | null>] = [new Map(a), new Map(b)];
  for (const [x, y] of [[out[0], out[1]], [out[1], out[0]]] as const) {
    for (const path of x.keys()) if (path.startsWith(DROPIN_PREFIX) && !y.has(path)) y.set(path, null);
  }
  return out;
}

export async function run(argv: string[], ctx?: RunContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      ...sideFlagOptions('before'),
      ...sideFlagOptions('after'),
      images: { type: 'string', multiple: true },
      release: { type: 'string', multiple: true },
      output: { type: 'string' },
      'fail-on': { type: 'string' },
      'ocp-version': { type: 'string' },
      'release-image': { type: 'string' },
      compat: { type: 'string' },
      'short-name-aliases': { type: 'string' },
      live: { type: 'boolean' },
      ...clientFlagOptions,
    },
    allowPositionals: true,
  });
  // markdown is diff's own third format; outputFlag checks the two every command has.
  const output = values.output === 'markdown' ? 'markdown' : (outputFlag(values.output) ?? 'text');
  const failOn = parseFailOn(values['fail-on']);
  const ocpVersion = values['ocp-version'] ?? 'current';
  try {
    ocpMinor(ocpVersion);
  } catch (err) {
    throw new UsageError(`--ocp-version: ${(err as Error).message}`);
  }
  const rest = [...positionals];
  const specs: SideSpec[] = [];
  for (const side of ['before', 'after'] as const) {
    let spec = specFromFlags(values as Record<string, string | string[] | boolean | undefined>, side);
    if (spec === null) {
      const path = rest.shift();
      if (path === undefined) throw new UsageError(`expected ${side.toUpperCase()}: a registries.conf, cluster objects or a node root (or --${side}-… flags); see --help`);
      spec = { kind: await detectKind(path), paths: [path] };
      const policy = (values as Record<string, unknown>)[`${side}-policy`];
      if (typeof policy === 'string') spec.policy = policy;
    }
    specs.push(spec);
  }
  const shared = {
    compat: values.compat,
    'short-name-aliases': values['short-name-aliases'],
    'ocp-version': values['ocp-version'],
    'release-image': values['release-image'],
  };
  // A ConfigError propagates to the dispatcher: exit 2, naming the file.
  // Cluster objects against a node root are applied onto that node: its other drop-ins stay.
  const rootOf = (s: SideSpec) => (s.kind === 'root' ? s.paths[0] : undefined);
  let before = await loadSide(specs[0]!, shared, rootOf(specs[1]!));
  let after = await loadSide(specs[1]!, shared, rootOf(specs[0]!));
  // Two sides that both read a drop-in directory: a drop-in only one side has was added or removed.
  if (specs.every((sp) => sp.kind !== 'openshift')) {
    const [bf, af] = stateMissingDropins(before.nodeFiles, after.nodeFiles);
    before = { ...before, nodeFiles: bf };
    after = { ...after, nodeFiles: af };
  }
  const images = [...rest];
  for (const f of values.images ?? []) images.push(...(await readImageList(f, false, 'diff')));
  for (const f of values.release ?? []) images.push(...(await readImageList(f, true, 'diff')));
  const result = runDiff({ before, after, images, ocpVersion });
  if (values.live === true) {
    const client = await clientFromFlags(values);
    try {
      result.live = await liveCheck(result.changed, { before, after }, {
        pull: { client, attemptTimeoutMs: parseSeconds('timeout', values.timeout, 30_000) },
        ...(ctx !== undefined ? { signal: ctx.signal } : {}),
      });
    } finally {
      await client.close();
    }
  }
  const text = output === 'json' ? formatDiffJsonLines(result) : output === 'markdown' ? formatDiffMarkdown(result) : formatDiffText(result);
  process.stdout.write(text);
  const met = failOnMet(result, failOn);
  if (met.length > 0 && output !== 'json') process.stderr.write(`pullpath diff: --fail-on met: ${met.join(', ')}\n`);
  return met.length > 0 ? 1 : 0;
}
