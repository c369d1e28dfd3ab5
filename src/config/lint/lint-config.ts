/**
 * `pullpath lint`: the load errors of the runtime, plus warnings for the pitfalls users hit (research §11).
 * Pure: works on the texts discovery read (`DiscoveredTexts` / `LoadTextsInput`), so tests need no files.
 *
 * @example
 *   const report = lintRegistriesConf({ main: { path: 'r.conf', text }, mainPath: 'r.conf', dropins: [] });
 *   report.findings.filter((f) => f.severity === 'error');
 */
import { runtimeErrorText } from '../config-error.ts';
import { ConfigError } from '../../errors.ts';
import { decodeRegistriesConf, type RawConfigFile } from '../decode-file.ts';
import { loadRegistriesConfFromTexts, type LoadTextsInput } from '../load-texts.ts';
import { parseLocation } from '../location.ts';
import type { CompatVersion, RegistriesConfig } from '../types.ts';
import { sortFindings, type LintFinding } from './finding.ts';
import { lintEntries } from './rules-entries.ts';
import { lintKeys } from './rules-keys.ts';

export interface LintReport {
  /** Files looked at, in load order. */
  files: string[];
  findings: LintFinding[];
  /** The merged configuration, or null when it does not load. */
  config: RegistriesConfig | null;
}

/** Entries of earlier files replaced whole by a later file's entry with the same prefix (mirrors and flags are not merged). */
function lintReplacedEntries(raws: RawConfigFile[]): LintFinding[] {
  const out: LintFinding[] = [];
  const owner = new Map<string, { file: string; line?: number; mirrors: number }>();
  for (const raw of raws) {
    const inThisFile = new Set<string>();
    for (const reg of raw.registries ?? []) {
      const loc = parseLocation(reg.location);
      const pre = parseLocation(reg.prefix === '' ? reg.location : reg.prefix);
      if (!loc.ok || !pre.ok || pre.value === '' || inThisFile.has(pre.value)) continue;
      inThisFile.add(pre.value);
      const earlier = owner.get(pre.value);
      if (earlier && earlier.file !== raw.path) {
        out.push({
          severity: 'warning',
          code: 'PP_LINT_ENTRY_REPLACED',
          file: earlier.file,
          line: earlier.line,
          message: `this [[registry]] for "${pre.value}" is never used: ${raw.path}${reg.line !== undefined ? ':' + reg.line : ''} has the same prefix and replaces the whole entry (location, flags${earlier.mirrors > 0 ? `, and these ${earlier.mirrors} mirror(s)` : ''}); nothing is merged`,
          fix: `put the complete entry (all mirrors and flags) in ${raw.path}, or remove one of the two`,
        });
      }
      owner.set(pre.value, { file: raw.path, line: reg.line, mirrors: reg.mirrors.length });
    }
  }
  return out;
}

export function lintRegistriesConf(input: LoadTextsInput, opts: { compat?: CompatVersion } = {}): LintReport {
  const compat = opts.compat ?? input.compat ?? '5.23';
  const findings: LintFinding[] = [];
  const texts = [...(input.main ? [input.main] : []), ...input.dropins];
  const raws: RawConfigFile[] = [];
  const decoded = new Map<string, RawConfigFile>();
  for (const t of texts) {
    try {
      const raw = decodeRegistriesConf(t.text, t.path);
      raws.push(raw);
      decoded.set(t.path, raw);
    } catch {
      // Reported by the load below (TOML syntax or type error).
    }
  }
  let config: RegistriesConfig | null = null;
  try {
    config = loadRegistriesConfFromTexts({ ...input, compat }, decoded);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    findings.push({
      severity: 'error',
      code: err.code,
      file: err.file ?? input.mainPath,
      line: err.line,
      message: runtimeErrorText(err),
      fix: 'the runtime refuses the whole configuration: every pull fails until this is fixed',
    });
  }
  if (config?.userAliasesError) {
    findings.push({
      severity: 'error',
      code: 'PP_ERR_CONFIG_USER_ALIASES',
      file: config.userAliasesPath ?? '',
      message: config.userAliasesError,
      fix: 'every short-name pull fails while this file is invalid: fix or delete the alias (podman/buildah rewrite this file)',
    });
  }

  for (const raw of raws) {
    findings.push(...lintKeys(raw), ...lintEntries(raw, compat));
  }
  findings.push(...lintReplacedEntries(raws));
  const files = texts.map((t) => t.path);
  if (input.userAliases) files.push(input.userAliases.path);
  return { files, findings: sortFindings(findings, files), config };
}
