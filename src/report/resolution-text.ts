/**
 * `pullpath resolve` text output: one readable chain per argument, with the reasons the Resolution carries
 * (which entry matched and where it is configured, each source in try order and why it is there, mirrors
 * left out and why, blocked sources with the runtime's error). Pure: Resolution in, string out.
 */
import { describeDecision } from '../policy/judge-resolution.ts';
import { formatFixes, resolutionFixes } from './what-to-do.ts';
import type { SourceProxy, SourceProxyRoute } from '../proxy/source-proxy.ts';
import { containerdRegistryLines, containerdSourceDetail } from './containerd-text.ts';
import type { MatchedRegistry, PullSource, Resolution, ShortNameCandidate, SkippedMirror } from '../resolve/resolution.ts';

function registryLines(r: MatchedRegistry | null, indent: string): string[] {
  if (r === null) return [`${indent}registry: no [[registry]] entry matches; the reference is pulled as is`];
  const flags = [r.insecure ? 'insecure' : null, r.blocked ? 'blocked' : null, r.mirrorByDigestOnly ? 'mirror-by-digest-only' : null]
    .filter((f) => f !== null)
    .join(', ');
  return [
    `${indent}registry: prefix "${r.prefix}" → location "${r.location}"${flags === '' ? '' : ` [${flags}]`}`,
    `${indent}          from ${r.origin}`,
  ];
}

function sourceLines(sources: PullSource[], indent: string): string[] {
  if (sources.length === 0) return [];
  const lines = [`${indent}sources, in the order the runtime tries them (the first that serves the manifest wins):`];
  sources.forEach((s, i) => {
    const tags = [s.mirror ? 'mirror' : 'primary', s.insecure ? 'insecure' : null, s.blocked ? 'BLOCKED' : null]
      .filter((t) => t !== null)
      .join(', ');
    lines.push(`${indent}  ${i + 1}. ${s.reference}  (${tags})`);
    if (s.containerd !== undefined) lines.push(`${indent}     ${s.location}`);
    if (s.why !== undefined) lines.push(`${indent}     ${s.why}`);
    if (s.proxy !== undefined) lines.push(...proxyLines(s.proxy, `${indent}     `));
    lines.push(...containerdSourceDetail(s, `${indent}     `));
    if (s.blocked) {
      lines.push(`${indent}     fails without contacting the registry: ${s.blockedError ?? 'blocked'}`);
      if (s.blockedBy !== undefined) lines.push(`${indent}     blocked by [[registry]] "${s.blockedBy.prefix}" (${s.blockedBy.origin})`);
    }
  });
  return lines;
}

function routeText(r: SourceProxyRoute): string {
  if (r.error !== null) return `fails: ${r.error}`;
  return r.via !== null ? `via ${r.via} (${r.reason})` : `direct (${r.reason})`;
}

/** `proxy: via http://***@proxy.corp:3128 (HTTPS_PROXY)`; an insecure source's http fallback when it differs. */
function proxyLines(p: SourceProxy, indent: string): string[] {
  const lines = [`${indent}proxy: ${routeText(p.https)}`];
  if (p.http !== null && routeText(p.http) !== routeText(p.https)) lines.push(`${indent}proxy for the http:// fallback: ${routeText(p.http)}`);
  return lines;
}

function skippedLines(skipped: SkippedMirror[], indent: string): string[] {
  if (skipped.length === 0) return [];
  return [
    `${indent}mirrors left out:`,
    ...skipped.map((s) => `${indent}  - ${s.location}: ${s.reason}${s.origin === undefined ? '' : ` (${s.origin})`}`),
  ];
}

function candidateLines(c: ShortNameCandidate, i: number): string[] {
  const lines = [`  candidate ${i + 1}: ${c.reference}${c.why === undefined ? '' : `  (${c.why})`}`];
  if (c.error !== null && c.sources.length === 0) {
    lines.push(...registryLines(c.registry, '    '), `    error: ${c.error}`);
    return lines;
  }
  lines.push(...registryLines(c.registry, '    '), ...sourceLines(c.sources, '    '), ...skippedLines(c.skipped, '    '));
  if (c.policy !== undefined) lines.push(`    policy: ${describeDecision(c.policy)}`);
  if (c.error !== null) lines.push(`    error: ${c.error}`);
  return lines;
}

export function formatResolutionText(r: Resolution): string {
  const lines = [r.ref];
  if (r.normalized !== null && r.normalized !== r.ref) lines.push(`  normalized: ${r.normalized}`);
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`);
  if (r.candidates !== undefined) {
    if (r.candidates.length > 0) lines.push(`  short name: ${r.candidates.length} candidate(s), tried in order until one pulls`);
    r.candidates.forEach((c, i) => lines.push(...candidateLines(c, i)));
  } else if (!(r.error !== null && r.normalized === null)) {
    const registry = r.runtime === 'containerd' ? containerdRegistryLines(r.registry, '  ') : registryLines(r.registry, '  ');
    lines.push(...registry, ...sourceLines(r.sources, '  '), ...skippedLines(r.skipped, '  '));
  }
  if (r.policy !== undefined) lines.push(`  policy (judged on the logical reference): ${describeDecision(r.policy)}`);
  if (r.error !== null) {
    const where = r.errorKind === 'rewrite' ? ' (the whole pull fails before any registry is contacted)' : '';
    lines.push(`  error${where}: ${r.error}`);
  }
  lines.push(...formatFixes(resolutionFixes(r)));
  return lines.join('\n');
}
