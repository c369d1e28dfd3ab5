/**
 * Decoding one registries.conf text into raw, unvalidated fields, as BurntSushi/toml decodes it into
 * containers/image's structs (research §1.3):
 * - key names match exactly first, then case-insensitively (`Location = "x"` works);
 * - unknown keys are not an error (the runtime only logs them at debug level); we collect them for lint;
 * - a missing array stays null, `[]` is an empty array: the merge rules and V1 detection depend on it;
 * - a value of the wrong type is a fatal decode error naming the line and the key path.
 * Each table and key keeps its line, found by `scanTomlSections`.
 */
import { scanTomlSections, type TomlSection } from './toml-lines.ts';
import { parseToml, TableReader } from './table-reader.ts';

export { parseToml };

export interface RawMirror {
  location: string;
  insecure: boolean;
  pullFromMirror: string;
  line?: number;
  /** Known key (canonical name) → line. */
  keyLines: Map<string, number>;
}

export interface RawRegistry {
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  /** Only valid on mirrors; decoded here because the runtime decodes it (and then refuses it). */
  pullFromMirror: string;
  mirrors: RawMirror[];
  line?: number;
  keyLines: Map<string, number>;
}

/** A key the runtime ignores. `table` says where TOML put it. */
export interface UnknownKey {
  /** Key path as the decoder saw it: `registry[2].mirror[0].blocked`, `foo`. */
  path: string;
  /** The key itself (last component). */
  key: string;
  table: 'root' | 'registry' | 'mirror' | 'v1';
  registryIndex?: number;
  mirrorIndex?: number;
  line?: number;
}

export interface RawV1 {
  search: string[] | null;
  insecure: string[] | null;
  block: string[] | null;
  /** Line of the first V1 table in the file. */
  line?: number;
  /** Line of each V1 list's `registries =` key (or its table header). */
  lines?: { search?: number; insecure?: number; block?: number };
}

export interface RawAlias {
  name: string;
  value: string;
  line?: number;
}

/** One file as decoded, before any validation. null = key absent. */
export interface RawConfigFile {
  path: string;
  registries: RawRegistry[] | null;
  unqualifiedSearchRegistries: string[] | null;
  unqualifiedSearchLine?: number;
  credentialHelpers: string[] | null;
  shortNameMode: string;
  shortNameModeLine?: number;
  additionalLayerStoreAuthHelper: string;
  aliases: RawAlias[] | null;
  v1: RawV1;
  unknownKeys: UnknownKey[];
  sections: TomlSection[];
}

const sectionIs = (s: TomlSection, name: string): boolean => s.name.toLowerCase() === name;

/** Decodes one registries.conf text. Throws ConfigError on TOML syntax and type errors. */
export function decodeRegistriesConf(text: string, path: string): RawConfigFile {
  const doc = parseToml(text, path);
  const sections = scanTomlSections(text);
  const root = new TableReader(path, doc, '', sections[0]);
  const unknownKeys: UnknownKey[] = [];

  // Match `[[registry]]` and `[[registry.mirror]]` headers to the parsed tables, in order.
  const registrySections: { section: TomlSection; mirrors: TomlSection[] }[] = [];
  for (const s of sections) {
    if (s.arrayTable && sectionIs(s, 'registry')) registrySections.push({ section: s, mirrors: [] });
    else if (s.arrayTable && sectionIs(s, 'registry.mirror')) registrySections.at(-1)?.mirrors.push(s);
  }

  const regArray = root.tableArray('registry');
  let registries: RawRegistry[] | null = null;
  if (regArray) {
    const headersMatch = registrySections.length === regArray.items.length;
    const inlineLine = sections[0]!.keys.get(regArray.key);
    registries = regArray.items.map((t, i) => {
      const rs = headersMatch ? registrySections[i] : undefined;
      const r = new TableReader(path, t, 'registry', rs?.section);
      const reg: RawRegistry = {
        prefix: r.string('prefix'),
        location: r.string('location'),
        insecure: r.bool('insecure'),
        blocked: r.bool('blocked'),
        mirrorByDigestOnly: r.bool('mirror-by-digest-only'),
        pullFromMirror: r.string('pull-from-mirror'),
        mirrors: [],
        line: rs?.section.line ?? inlineLine,
        keyLines: r.keyLines,
      };
      const mirrorArray = r.tableArray('mirror');
      if (mirrorArray) {
        const mirrorHeadersMatch = rs !== undefined && rs.mirrors.length === mirrorArray.items.length;
        const inlineMirrorLine = rs?.section.keys.get(mirrorArray.key) ?? reg.line;
        reg.mirrors = mirrorArray.items.map((mt, j) => {
          const ms = mirrorHeadersMatch ? rs.mirrors[j] : undefined;
          const m = new TableReader(path, mt, 'registry.mirror', ms);
          const mirror: RawMirror = {
            location: m.string('location'),
            insecure: m.bool('insecure'),
            pullFromMirror: m.string('pull-from-mirror'),
            line: ms?.line ?? inlineMirrorLine,
            keyLines: m.keyLines,
          };
          for (const key of m.unknown()) {
            unknownKeys.push({
              path: `registry[${i}].mirror[${j}].${key}`, key, table: 'mirror', registryIndex: i, mirrorIndex: j,
              line: m.lineOf(key) ?? mirror.line,
            });
          }
          return mirror;
        });
      }
      for (const key of r.unknown()) {
        unknownKeys.push({ path: `registry[${i}].${key}`, key, table: 'registry', registryIndex: i, line: r.lineOf(key) ?? reg.line });
      }
      return reg;
    });
  }

  const unqualifiedSearchRegistries = root.stringArray('unqualified-search-registries');
  const credentialHelpers = root.stringArray('credential-helpers');
  const shortNameMode = root.string('short-name-mode');
  const additionalLayerStoreAuthHelper = root.string('additional-layer-store-auth-helper');

  let aliases: RawAlias[] | null = null;
  const aliasTable = root.subTable('aliases');
  if (aliasTable) {
    const aliasSection = sections.find((s) => !s.arrayTable && sectionIs(s, 'aliases'));
    const reader = new TableReader(path, aliasTable.table, 'aliases', aliasSection);
    aliases = Object.keys(aliasTable.table).map((name) => ({
      name,
      value: reader.string(name),
      line: aliasSection?.keys.get(name) ?? sections[0]!.keys.get(`${aliasTable.key}.${name}`),
    }));
  }

  const v1: RawV1 = { search: null, insecure: null, block: null };
  const v1Table = root.subTable('registries');
  if (v1Table) {
    const v1Reader = new TableReader(path, v1Table.table, 'registries', undefined);
    for (const which of ['search', 'insecure', 'block'] as const) {
      const sub = v1Reader.subTable(which);
      if (!sub) continue;
      const sec = sections.find((s) => !s.arrayTable && s.name.toLowerCase() === `registries.${which}`);
      if (sec !== undefined && (v1.line === undefined || sec.line < v1.line)) v1.line = sec.line;
      const subReader = new TableReader(path, sub.table, `registries.${which}`, sec);
      v1[which] = subReader.stringArray('registries');
      v1.lines ??= {};
      v1.lines[which] = subReader.keyLines.get('registries') ?? sec?.line;
      for (const key of subReader.unknown()) {
        unknownKeys.push({ path: `registries.${which}.${key}`, key, table: 'v1', line: subReader.lineOf(key) ?? sec?.line });
      }
    }
    for (const key of v1Reader.unknown()) unknownKeys.push({ path: `registries.${key}`, key, table: 'v1' });
  }

  for (const key of root.unknown()) {
    const header = sections.find((s) => s.name === key || s.name.startsWith(key + '.'));
    unknownKeys.push({ path: key, key, table: 'root', line: root.lineOf(key) ?? header?.line });
  }

  return {
    path,
    registries,
    unqualifiedSearchRegistries,
    unqualifiedSearchLine: root.keyLines.get('unqualified-search-registries'),
    credentialHelpers,
    shortNameMode,
    shortNameModeLine: root.keyLines.get('short-name-mode'),
    additionalLayerStoreAuthHelper,
    aliases,
    v1,
    unknownKeys,
    sections,
  };
}
