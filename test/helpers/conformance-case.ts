/** The conformance data (`test/fixtures/conformance/`, produced by containers/image v5.23.1), as loader input. */
import type { LoadTextsInput } from '../../src/config/load-texts.ts';
import type { ConfigText } from '../../src/config/types.ts';

export const conformanceDir = new URL('../fixtures/conformance/', import.meta.url);

/** One line of resolve-cases.jsonl. */
export interface ConformanceCase {
  id: string;
  conf: string | null;
  confd?: Record<string, string>;
  userAliases?: string | null;
  refs?: string[];
  shortnames?: string[];
}

/** The case as the files the library read; `$DIR` stands for the case's folder, as in the expected texts. */
export function caseInput(c: ConformanceCase): LoadTextsInput {
  const DIR = '$DIR';
  // The library reads only `*.conf` files directly in the drop-in folder, in lexical order.
  const dropins: ConfigText[] = Object.entries(c.confd ?? {})
    .filter(([name]) => name.endsWith('.conf') && !name.includes('/'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, text]) => ({ path: `${DIR}/registries.conf.d/${name}`, text }));
  const mainPath = `${DIR}/registries.conf`;
  return {
    main: c.conf === null ? null : { path: mainPath, text: c.conf },
    mainPath,
    mainRequired: true,
    dropins,
    userAliases: c.userAliases ? { path: `${DIR}/short-name-aliases.conf`, text: c.userAliases } : null,
    userAliasesPath: `${DIR}/short-name-aliases.conf`,
    configDirPath: `${DIR}/registries.conf.d`,
  };
}
