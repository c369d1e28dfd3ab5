/**
 * `pullpath render openshift FILES...`: the node files the Machine Config Operator would write for these
 * cluster objects — printed, written under --out, or diffed against a node's root under --diff.
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import { mkdir, readdir, readFile, writeFile } from '../../src/fs-async.ts';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { loadOpenShiftObjects, loadTemplates } from '../../src/openshift/load-objects.ts';
import { NODE_PATHS, renderOpenShift, type RenderResult } from '../../src/openshift/render.ts';
import { stockTemplates } from '../../src/openshift/templates.ts';
import type { Finding } from '../../src/openshift/types.ts';
import { renderWmcoHostsToml } from '../../src/containerd/render-wmco.ts';

export const help = `Usage: pullpath render openshift FILE|DIR... [flags]

Renders what the Machine Config Operator writes on every node for the cluster's image objects:
  /etc/containers/registries.conf                                    (mirrors, insecure, blocked)
  /etc/containers/policy.json                                        (allowedRegistries / blockedRegistries)
  /etc/containers/registries.conf.d/01-image-searchRegistries.conf   (containerRuntimeSearchRegistries)
  /etc/containers/registries.d/sigstore-registries.yaml              (signature policy scopes and their mirrors)
  /etc/crio/policies/<namespace>.json                                (ImagePolicy, per namespace)
byte for byte, from image.config.openshift.io/cluster, ImageContentSourcePolicy, ImageDigestMirrorSet,
ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy (and ClusterVersion for the release image). Input files may hold several YAML documents or a
kind: List (as \`oc get -o yaml\` writes); a DIR means its *.yaml, *.yml and *.json files; - reads standard
input (\`oc get idms -o yaml | pullpath render openshift -\`). Other kinds are skipped with a note; unknown
fields of the kinds above are errors (file:line, as kubectl --validate=strict), and so is input that holds
none of them. The MCO's validation errors stop the render (exit 2); the OpenShift documentation's
warnings (allowedRegistries missing registry.redhat.io / quay.io / the internal registry, blocking them,
insecure external registries, public search registries, scopes with tags) go to stderr.

Flags:
  --release-image REF   the release payload (ClusterVersion status.desired.image), e.g.
                        quay.io/openshift-release-dev/ocp-release@sha256:…; without it (and without a
                        ClusterVersion object) blocked scopes holding the payload are not checked
  --template DIR        base files the MCO starts from: DIR/registries.conf and DIR/policy.json (or the MCO's
                        container-registries.yaml / policy.yaml); default: the stock MCO templates
  --ocp-version V       release line whose format to write: current (default) or e.g. 4.12 (ICSP as
                        mirror-by-digest-only = true, compact policy.json, no IDMS/ITMS)
  --out DIR             write the files under DIR (DIR/etc/containers/…) instead of printing them
  --diff ROOT           show a unified diff from the files under ROOT (a node's /, e.g. a must-gather copy)
                        to the rendered ones: what would change on that node
  --runtime containerd  render what the Windows Machine Config Operator writes for Windows nodes instead:
                        one hosts.toml per source host under C:\\k\\containerd\\registries (containerd's
                        config_path) from ImageDigestMirrorSet / ImageTagMirrorSet (IDMS mirrors pull-only,
                        ITMS pull+resolve, mirrors sorted, NeverContactSource → server = first mirror); --out DIR
                        writes DIR/<host>/hosts.toml (usable as --hosts-dir DIR); warnings for source paths
                        that containerd cannot keep
  -o, --output text|json
                        text (default) or JSON Lines: {"type":"file","path","generated","content"} per file,
                        then {"type":"error"|"warning"|"note", …}
  -h, --help            this help

Exit status: 0 rendered (with --diff: no change), 1 with --diff: files would change, 2 invalid objects or bad usage.
`;

interface Flags {
  runtime?: string;
  'release-image'?: string;
  template?: string;
  'ocp-version'?: string;
  out?: string;
  diff?: string;
  output?: string;
}

export async function run(argv: string[]): Promise<number> {
  let values: Flags;
  let positionals: string[];
  ({ values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      'release-image': { type: 'string' },
      template: { type: 'string' },
      'ocp-version': { type: 'string' },
      out: { type: 'string' },
      diff: { type: 'string' },
      output: { type: 'string' },
      runtime: { type: 'string' },
    },
    allowPositionals: true,
  }));
  const [what, ...files] = positionals;
  if (what !== 'openshift') throw new UsageError(`expected "render openshift FILE...", got ${what === undefined ? 'nothing' : JSON.stringify(what)}`);
  if (files.length === 0) throw new UsageError('render openshift: give at least one YAML file or folder of cluster objects');
  const output = outputFlag(values.output) ?? 'text';
  if (values.out !== undefined && values.diff !== undefined) throw new UsageError('--out and --diff cannot be combined');
  // --- containerd: the Windows Machine Config Operator's hosts.toml files ---
  if (values.runtime !== undefined && values.runtime !== 'containers-image') {
    if (values.runtime !== 'containerd') throw new UsageError(`--runtime: expected containerd or containers-image, got "${values.runtime}"`);
    return renderContainerd(files, values, output);
  }
  // --- end containerd ---

  let result: RenderResult;
  try {
    const objects = await loadOpenShiftObjects(files);
    const templates = values.template !== undefined ? await loadTemplates(values.template, stockTemplates()) : stockTemplates();
    result = renderOpenShift(objects, {
      templates,
      ...(values['release-image'] !== undefined ? { releaseImage: values['release-image'] } : {}),
      ...(values['ocp-version'] !== undefined ? { ocpVersion: values['ocp-version'] } : {}),
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`pullpath render: ${err.message}\n`);
    return 2;
  }

  const files3 = renderedFiles(result);
  if (output === 'json') {
    for (const f of files3) process.stdout.write(JSON.stringify({ type: 'file', ...f }) + '\n');
    for (const [type, list] of [['error', result.errors], ['warning', result.warnings]] as const) {
      for (const f of list) process.stdout.write(JSON.stringify({ type, ...f }) + '\n');
    }
    for (const n of result.notes) process.stdout.write(JSON.stringify({ type: 'note', message: n }) + '\n');
  } else {
    for (const n of result.notes) process.stderr.write(`note: ${n}\n`);
    for (const w of result.warnings) process.stderr.write(`warning: ${where(w)}${w.message} [${w.code}]\n`);
    for (const e of result.errors) process.stderr.write(`error: ${where(e)}${e.message} [${e.code}]\n`);
  }
  if (result.errors.length > 0) return 2;

  if (values.out !== undefined) {
    for (const f of files3) {
      const target = join(values.out, f.path);
      if (f.content === null) continue;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
      if (output === 'text') process.stdout.write(`wrote ${target}${f.generated ? '' : ' (the template: the MCO leaves this file alone)'}\n`);
    }
    return 0;
  }
  if (values.diff !== undefined) {
    let changed = false;
    // Namespaced CRI-O policies on the node that the render no longer produces would be removed with the MachineConfig.
    const rendered = new Set(files3.map((f) => f.path));
    const nodePolicies = await readdir(join(values.diff, '/etc/crio/policies')).catch(() => [] as string[]);
    for (const name of nodePolicies.filter((n) => n.endsWith('.json')).sort()) {
      const path = `/etc/crio/policies/${name}`;
      if (!rendered.has(path)) files3.push({ path, generated: false, content: null });
    }
    for (const f of files3) {
      const current = await readFile(join(values.diff, f.path), 'utf8').catch(() => null);
      if (current === f.content) continue;
      changed = true;
      const patch = createTwoFilesPatch(
        current === null ? '/dev/null' : `a${f.path}`,
        f.content === null ? '/dev/null' : `b${f.path}`,
        current ?? '',
        f.content ?? '',
      );
      if (output === 'text') process.stdout.write(patch);
      else process.stdout.write(JSON.stringify({ type: 'diff', path: f.path, patch }) + '\n');
    }
    if (!changed && output === 'text') process.stdout.write(`no changes: the files under ${values.diff} match the rendered ones\n`);
    return changed ? 1 : 0;
  }
  if (output === 'text') {
    for (const f of files3) {
      if (f.content === null) continue;
      process.stdout.write(`==> ${f.path}${f.generated ? '' : ' (template, unchanged)'} <==\n`);
      process.stdout.write(f.content.endsWith('\n') ? f.content : `${f.content}\n`);
    }
  }
  return 0;
}

interface FileOut {
  path: string;
  generated: boolean;
  /** null: the MCO writes no such file (a drop-in left on a node would be removed). */
  content: string | null;
}

function renderedFiles(r: RenderResult): FileOut[] {
  return [
    { path: NODE_PATHS.registriesConf, generated: r.generated.registriesConf, content: r.files.registriesConf },
    { path: NODE_PATHS.policyJson, generated: r.generated.policyJson, content: r.files.policyJson },
    { path: NODE_PATHS.searchRegistries, generated: r.files.searchRegistries !== null, content: r.files.searchRegistries },
    { path: NODE_PATHS.sigstoreRegistries, generated: (r.files.sigstoreRegistries ?? null) !== null, content: r.files.sigstoreRegistries ?? null },
    ...(r.files.namespacedPolicies ?? []).map((p) => ({ path: p.path, generated: true, content: p.json })),
  ];
}

function where(f: Finding): string {
  const file = f.file !== undefined && f.line !== undefined ? `${f.file}:${f.line}` : f.file;
  const parts = [file, f.key].filter((x): x is string => x !== undefined && x !== '');
  return parts.length > 0 ? `${parts.join(': ')}: ` : '';
}

/** Where the WMCO points containerd's config_path on Windows nodes. */
const WMCO_HOSTS_ROOT = 'C:\\k\\containerd\\registries';

async function renderContainerd(files: string[], values: Flags, output: 'text' | 'json'): Promise<number> {
  if (values.diff !== undefined) throw new UsageError('--diff is not available with --runtime containerd (compare with --out DIR and diff -r)');
  let render;
  try {
    render = renderWmcoHostsToml(await loadOpenShiftObjects(files));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`pullpath render: ${err.message}\n`);
    return 2;
  }
  if (output === 'json') {
    for (const f of render.files) process.stdout.write(JSON.stringify({ type: 'file', path: `${WMCO_HOSTS_ROOT}\\${f.dir}\\hosts.toml`, generated: true, content: f.content }) + '\n');
    for (const w of render.warnings) process.stdout.write(JSON.stringify({ type: 'warning', code: w.code, message: w.message, ...(w.origin ? { file: w.origin } : {}) }) + '\n');
    for (const n of render.notes) process.stdout.write(JSON.stringify({ type: 'note', message: n }) + '\n');
  } else {
    for (const n of render.notes) process.stderr.write(`note: ${n}\n`);
    for (const w of render.warnings) process.stderr.write(`warning: ${w.origin ? `${w.origin}: ` : ''}${w.message} [${w.code}]\n`);
  }
  if (values.out !== undefined) {
    for (const f of render.files) {
      const target = join(values.out, f.dir, 'hosts.toml');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
      if (output === 'text') process.stdout.write(`wrote ${target}\n`);
    }
    return 0;
  }
  if (output === 'text') {
    if (render.files.length === 0) process.stdout.write('no ImageDigestMirrorSet or ImageTagMirrorSet rules: the WMCO writes no hosts.toml\n');
    for (const f of render.files) {
      process.stdout.write(`==> ${WMCO_HOSTS_ROOT}\\${f.dir}\\hosts.toml <==\n`);
      process.stdout.write(f.content === '' ? '(empty: no mirrors)\n' : f.content);
    }
  }
  return 0;
}
