/**
 * The images a diff checks when the user names none: enough to show every behaviour change between two
 * configurations. Per `[[registry]]` prefix and per mirror location of either side, a repository under it
 * in tag form and in digest form (digest-only / tag-only mirrors differ exactly there); and when the
 * short-name settings differ (search registries, aliases, short-name-mode), every alias name of either side
 * and one short name that goes through the search list. Pure.
 */
import type { RegistriesConfig } from '../config/types.ts';
import { tryParseNormalizedNamed } from '../reference/index.ts';

/** The repository name every synthetic reference uses below a prefix. */
export const SYNTHETIC_REPO = 'pullpath-diff';
/** A fixed digest: the digest form of each synthetic reference (its value never matters offline). */
export const SYNTHETIC_DIGEST = `sha256:${'0'.repeat(64)}`;

/** A host that a wildcard prefix (`*.example.com`) matches. */
function concretePrefix(prefix: string): string {
  return prefix.startsWith('*.') ? `${SYNTHETIC_REPO}.${prefix.slice(2)}` : prefix;
}

function shortNameSettings(c: RegistriesConfig): string {
  const aliases = [...c.aliases.values()].map((a) => [a.name, a.value]).sort();
  return JSON.stringify([c.unqualifiedSearchRegistries, c.shortNameMode, aliases]);
}

export function syntheticImages(before: RegistriesConfig, after: RegistriesConfig): string[] {
  const out = new Set<string>();
  const add = (prefix: string): void => {
    if (prefix === '') return;
    const repo = `${concretePrefix(prefix)}/${SYNTHETIC_REPO}`;
    for (const ref of [`${repo}:latest`, `${repo}@${SYNTHETIC_DIGEST}`]) {
      // A prefix that is not a valid repository name (e.g. upper case) names no image either.
      if (tryParseNormalizedNamed(ref).ok) out.add(ref);
    }
  };
  for (const c of [before, after]) {
    for (const e of c.registries) {
      add(e.prefix);
      for (const m of e.mirrors) add(m.location);
    }
  }
  if (shortNameSettings(before) !== shortNameSettings(after)) {
    for (const c of [before, after]) for (const name of c.aliases.keys()) out.add(name);
    out.add(SYNTHETIC_REPO);
  }
  return [...out];
}
