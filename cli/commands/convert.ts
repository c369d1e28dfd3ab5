/**
 * `pullpath convert`: registries.conf ↔ containerd hosts.toml, with a warning for every semantic that does not
 * survive the trip (src/containerd/convert.ts says which and why).
 */
import { mkdir, writeFile } from '../../src/fs-async.ts';
import { join } from 'node:path';
import { outputFlag, parseCommandArgs } from '../args.ts';
import { UsageError } from '../../src/errors.ts';
import { endWithOneNewline, registriesConfToHostsToml, hostsTomlToRegistriesConf, type ConvertWarning } from '../../src/containerd/convert.ts';
import { configFlagOptions, loadConfigFromFlags } from '../config-flags.ts';
import { hostsDirsFromFlags } from '../containerd-flags.ts';
import { loadContainerdSetupFromFlags } from '../containerd-load.ts';

export const help = `Usage: pullpath convert registries-conf --to hosts-toml [registries.conf flags] [--out DIR]
       pullpath convert hosts-toml --to registries-conf --hosts-dir DIR [--compat 1.6|1.7|2.x] [--out FILE]

Converts between containers/image's registries.conf (podman, CRI-O, OpenShift Linux nodes) and containerd's
hosts.toml directories, and warns, with the input's file:line, for every semantic that does not survive:
  registries.conf → hosts.toml: repository-path prefixes (containerd configures whole hosts and appends the
    whole repository path), wildcard prefixes, blocked registries, tag-only mirrors, insecure (containerd 1.6
    never falls back to plain HTTP), short names and aliases
  hosts.toml → registries.conf: _default, files containerd ignores, push-only hosts, headers, ca/client files,
    dial_timeout, API roots under a path, skip_verify (insecure also allows plain HTTP)

Flags:
  --to FORMAT            hosts-toml or registries-conf (the other one than the input)
  --out DIR|FILE         write the files (DIR/<host>/hosts.toml, or the registries.conf FILE) instead of printing
  -o, --output text|json text (default): the files, warnings on stderr; json: {"type":"file",path,content} and
                         {"type":"warning",code,file,message} lines
  --registries-conf FILE, --registries-conf-dir DIR   the registries.conf input (default: the system files)
  --hosts-dir DIR        the hosts.toml input (repeatable, colon-separated; the first root with a name wins)
  -h, --help             this help

Exit status: 0 converted (warnings or not), 2 bad usage or input that does not load.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { ...configFlagOptions, to: { type: 'string' }, out: { type: 'string' }, output: { type: 'string' } },
    allowPositionals: true,
  });
  const output = outputFlag(values.output) ?? 'text';
  const [from, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const formats = ['registries-conf', 'hosts-toml'];
  if (from === undefined || !formats.includes(from)) throw new UsageError(`expected "convert registries-conf --to hosts-toml" or "convert hosts-toml --to registries-conf", got ${from === undefined ? 'nothing' : JSON.stringify(from)}`);
  const to = values.to;
  if (to === undefined || !formats.includes(to) || to === from) throw new UsageError(`--to: expected ${from === 'hosts-toml' ? 'registries-conf' : 'hosts-toml'}, got ${to === undefined ? 'nothing' : JSON.stringify(to)}`);

  let files: Array<{ path: string; content: string }>;
  let warnings: ConvertWarning[];
  if (from === 'registries-conf') {
    if (values['hosts-dir'] !== undefined || values['containerd-config'] !== undefined || values.runtime !== undefined) {
      throw new UsageError('convert registries-conf reads registries.conf (--registries-conf, --registries-conf-dir); --hosts-dir is for "convert hosts-toml"');
    }
    const r = registriesConfToHostsToml(await loadConfigFromFlags(values));
    files = r.files.map((f) => ({ path: `${f.dir}/hosts.toml`, content: f.content }));
    warnings = r.warnings;
  } else {
    if (hostsDirsFromFlags(values).length === 0) throw new UsageError('convert hosts-toml: give the hosts directory with --hosts-dir DIR');
    const r = hostsTomlToRegistriesConf(await loadContainerdSetupFromFlags({ ...values, runtime: 'containerd' }));
    files = [{ path: 'registries.conf', content: r.text }];
    warnings = r.warnings;
  }

  // Every file ends with exactly one newline, whether printed (the next `==> FILE <==` header starts its own line),
  // written by --out, or carried in JSON.
  files = files.map((f) => ({ path: f.path, content: endWithOneNewline(f.content) }));
  if (output === 'json') {
    for (const f of files) process.stdout.write(JSON.stringify({ type: 'file', path: f.path, content: f.content }) + '\n');
    for (const w of warnings) process.stdout.write(JSON.stringify({ type: 'warning', code: w.code, file: w.origin, message: w.message }) + '\n');
  } else {
    for (const w of warnings) process.stderr.write(`warning: ${w.origin}: ${w.message} [${w.code}]\n`);
  }
  if (values.out !== undefined) {
    for (const f of files) {
      const target = from === 'registries-conf' ? join(values.out, f.path) : values.out;
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, f.content);
      if (output === 'text') process.stdout.write(`wrote ${target}\n`);
    }
  } else if (output === 'text') {
    for (const f of files) process.stdout.write(`==> ${f.path} <==\n${f.content}`);
  }
  return 0;
}
