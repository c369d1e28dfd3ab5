/**
 * `pullpath lint`: the errors that stop the runtime from loading registries.conf, and warnings for the settings
 * that load but do not do what they seem to. Exit 1 on errors (and on warnings with --strict), 0 otherwise.
 */
import { outputFlag, parseCommandArgs } from '../args.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { discoverRegistriesConf } from '../../src/config/load-files.ts';
import { runtimeErrorText } from '../../src/config/config-error.ts';
import { formatLintJsonLines, formatLintText, lintRegistriesConf, type LintReport } from '../../src/config/lint/index.ts';
import { configFlagOptions, configFlagsHelp, loadOptionsFromFlags } from '../config-flags.ts';
import { attributeRenderedFindings } from '../../src/openshift/provenance.ts';
import { defaultOpenShiftWarning, loadTextsInputFromOpenShift, openShiftTextsFromFlags } from '../openshift-flags.ts';
import type { LintFinding } from '../../src/config/lint/finding.ts';
import { runtimeFromFlags } from '../containerd-flags.ts';
import { loadContainerdLintInput } from '../containerd-load.ts';
import { lintContainerd } from '../../src/containerd/lint.ts';

/** What to do about each ClusterImagePolicy / ImagePolicy pitfall (src/openshift/image-policy-warnings.ts). */
const IMAGE_POLICY_FIXES: Record<string, string> = {
  'image-policy-key-unparsable': 'put the base64 of the PEM file itself (base64 -w0 key.pub), not the key text or a double-encoded value',
  'image-policy-remap-cannot-match': 'set remapIdentity.prefix to the scope (or a part of it) the images are pulled as, and signedPrefix to the name they were signed under',
  'image-policy-blocked-inside-scope': 'unblock the repository, or narrow the policy scope so the two do not overlap',
  'image-policy-mirror-without-attachments': 'mirror through an ImageDigestMirrorSet/ImageTagMirrorSet (the MCO then enables attachments for the mirror), or add a registries.d entry with use-sigstore-attachments: true for it',
  'image-policy-scope-conflict': 'drop the scope from the ImagePolicy: the ClusterImagePolicy already decides it',
};

export const help = `Usage: pullpath lint [config flags] [--strict] [--output text|json]

Checks the registries.conf files the runtime would read (main file, drop-ins, user alias cache): the load
errors containers/image reports (worded as it words them, with file:line), and warnings for pitfalls that load
fine but misbehave: a prefix with a tag or digest, keys TOML attached to a [[registry.mirror]] by accident,
unknown keys, a mirror equal to its own location, entries replaced or dropped by duplicates, prefix = "docker.io"
remapped without library/, inert wildcards (**.x, *x), locations whose rewrites fail, docker.io locations,
insecure registries outside loopback. Each finding has a stable code and says what to write instead.

With --runtime containerd (or --hosts-dir / --containerd-config): hosts.toml and config.toml pitfalls — a file
containerd ignores whole (with its logged error), two non-table values under [host] (ctr 1.6 panics),
config_path unset so the hosts directories are ignored, inline mirrors together with config_path (the CRI
plugin does not load), a directory named without the port or after registry-1.docker.io, an empty directory
hiding _default, skip_verify expected to allow plain HTTP, a host without "resolve" that tag pulls skip, and
server pointing back at the source.

Flags:
  --strict                   warnings fail too (exit 1)
  -o, --output text|json     text (default), or JSON Lines: one object per finding
                             {type:"finding", severity, code, file, line, message, fix}
  -h, --help                 this help

${configFlagsHelp}

Exit status: 0 no errors (with --strict: no findings), 1 errors (or warnings with --strict), 2 bad usage.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { ...configFlagOptions, strict: { type: 'boolean' }, output: { type: 'string' } },
    allowPositionals: false,
  });
  const output = outputFlag(values.output) ?? 'text';
  if (values.policy !== undefined) throw new UsageError('--policy: lint checks registries.conf files; judge references with `pullpath policy` or `resolve --policy`');
  // --- containerd: hosts.toml and config.toml pitfalls ---
  if (runtimeFromFlags(values) === 'containerd') {
    const r = lintContainerd(await loadContainerdLintInput(values));
    const report: LintReport = { files: r.files, findings: r.findings, config: null };
    process.stdout.write(output === 'json' ? formatLintJsonLines(report) : formatLintText(report));
    const errors = report.findings.some((f) => f.severity === 'error');
    return errors || (values.strict === true && report.findings.length > 0) ? 1 : 0;
  }
  // --- end containerd ---
  const opts = loadOptionsFromFlags(values);
  // With --openshift, lint the files the MCO would write (render errors are exit 2, from the dispatcher).
  // Image policy pitfalls become lint findings (exit status, --strict, JSON); other render warnings stay on stderr.
  const policyFindings: LintFinding[] = [];
  const openshift = await openShiftTextsFromFlags(values, (w) => {
    if (!w.code.startsWith('image-policy')) return defaultOpenShiftWarning(w);
    policyFindings.push({
      severity: 'warning',
      code: `PP_LINT_${w.code.replace(/-/g, '_').toUpperCase()}`,
      file: w.file ?? '',
      ...(w.line !== undefined ? { line: w.line } : {}),
      message: `${w.key ? `${w.key}: ` : ''}${w.message}`,
      ...(IMAGE_POLICY_FIXES[w.code] ? { fix: IMAGE_POLICY_FIXES[w.code] } : {}),
    });
  });
  if (openshift !== null && (values['registries-conf'] !== undefined || values['registries-conf-dir'] !== undefined)) {
    throw new UsageError('--registries-conf/--registries-conf-dir cannot be combined with --openshift');
  }

  let report: LintReport;
  try {
    const texts = openshift !== null ? { ...loadTextsInputFromOpenShift(openshift), compat: opts.compat ?? '5.23' } : await discoverRegistriesConf(opts);
    report = lintRegistriesConf(texts, { compat: texts.compat ?? '5.23' });
    if (openshift !== null) {
      report = {
        ...report,
        findings: [...attributeRenderedFindings(report.findings, openshift.provenance), ...policyFindings],
        files: report.files.map((f) => `${f} (rendered)`),
      };
    }
  } catch (err) {
    // Discovery itself failed (an unreadable file or drop-in dir): report it as the one error.
    if (!(err instanceof ConfigError)) throw err;
    report = {
      files: [],
      config: null,
      findings: [{ severity: 'error', code: err.code, file: err.file ?? '', line: err.line, message: runtimeErrorText(err) }],
    };
  }
  process.stdout.write(output === 'json' ? formatLintJsonLines(report) : formatLintText(report));
  const errors = report.findings.some((f) => f.severity === 'error');
  const warnings = report.findings.some((f) => f.severity === 'warning');
  return errors || (values.strict === true && warnings) ? 1 : 0;
}
