/**
 * Reading typed fields out of one parsed TOML table the way BurntSushi/toml fills a Go struct: exact key first,
 * then a case-insensitive match; a value of the wrong type is a fatal error worded as BurntSushi words it
 * (`toml: line N (last key "registry.insecure"): incompatible types: …`); keys never read are "unknown".
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../errors.ts';
import type { TomlSection } from './toml-lines.ts';

export type Table = Record<string, unknown>;

/** Finds `name` in `table`: exact key first, then a case-insensitive match (Go's strings.EqualFold). */
function lookup(table: Table, name: string): { key: string; value: unknown } | undefined {
  if (Object.prototype.hasOwnProperty.call(table, name)) return { key: name, value: table[name] };
  const lower = name.toLowerCase();
  for (const k of Object.keys(table)) {
    if (k.toLowerCase() === lower) return { key: k, value: table[k] };
  }
  return undefined;
}

function tomlTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
  if (Array.isArray(v)) return 'array';
  if (v !== null && typeof v === 'object') {
    return v.constructor?.name === 'TomlDate' ? 'datetime' : 'table';
  }
  return typeof v;
}

export function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v.constructor?.name !== 'TomlDate';
}

/** Decodes fields of one table, recording type errors with BurntSushi's wording and the known keys used. */
export class TableReader {
  readonly used = new Set<string>();
  readonly keyLines = new Map<string, number>();
  constructor(
    private readonly file: string,
    private readonly table: Table,
    private readonly keyPath: string,
    private readonly section: TomlSection | undefined,
  ) {}

  private find(name: string): { key: string; value: unknown } | undefined {
    const hit = lookup(this.table, name);
    if (hit) {
      this.used.add(hit.key);
      const line = this.section?.keys.get(hit.key);
      if (line !== undefined) this.keyLines.set(name, line);
    }
    return hit;
  }

  typeError(name: string, actualKey: string, value: unknown, dest: string): ConfigError {
    const line = this.section?.keys.get(actualKey) ?? this.section?.line;
    const last = this.keyPath === '' ? name : `${this.keyPath}.${name}`;
    const at = line !== undefined && line > 0 ? `line ${line} ` : '';
    return new ConfigError(
      `toml: ${at}(last key "${last}"): incompatible types: TOML value has type ${tomlTypeName(value)}; destination has type ${dest}`,
      { file: this.file, line: line !== undefined && line > 0 ? line : undefined, code: 'PP_ERR_CONFIG_TOML_TYPE' },
    );
  }

  string(name: string): string {
    const hit = this.find(name);
    if (!hit) return '';
    if (typeof hit.value !== 'string') throw this.typeError(name, hit.key, hit.value, 'string');
    return hit.value;
  }

  bool(name: string): boolean {
    const hit = this.find(name);
    if (!hit) return false;
    if (typeof hit.value !== 'boolean') throw this.typeError(name, hit.key, hit.value, 'boolean');
    return hit.value;
  }

  stringArray(name: string): string[] | null {
    const hit = this.find(name);
    if (!hit) return null;
    if (!Array.isArray(hit.value)) throw this.typeError(name, hit.key, hit.value, 'slice');
    for (const el of hit.value) {
      if (typeof el !== 'string') throw this.typeError(name, hit.key, el, 'string');
    }
    return hit.value as string[];
  }

  tableArray(name: string): { key: string; items: Table[] } | null {
    const hit = this.find(name);
    if (!hit) return null;
    if (!Array.isArray(hit.value)) throw this.typeError(name, hit.key, hit.value, 'slice');
    for (const el of hit.value) {
      if (!isTable(el)) throw this.typeError(name, hit.key, el, 'struct');
    }
    return { key: hit.key, items: hit.value as Table[] };
  }

  subTable(name: string): { key: string; table: Table } | null {
    const hit = this.find(name);
    if (!hit) return null;
    if (!isTable(hit.value)) throw this.typeError(name, hit.key, hit.value, 'map');
    return { key: hit.key, table: hit.value };
  }

  unknown(): string[] {
    return Object.keys(this.table).filter((k) => !this.used.has(k));
  }

  lineOf(key: string): number | undefined {
    const direct = this.section?.keys.get(key);
    if (direct !== undefined) return direct;
    // A dotted key (`foo.bar = 1`) or a sub-table header (`[foo]`) stands for `foo`.
    if (this.section) {
      for (const [k, line] of this.section.keys) if (k.startsWith(key + '.')) return line;
    }
    return undefined;
  }
}

/** Parses TOML, turning smol-toml's syntax errors into a ConfigError with file and line. */
export function parseToml(text: string, path: string): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new ConfigError(`toml: line ${err.line}: ${first}`, { file: path, line: err.line, code: 'PP_ERR_CONFIG_TOML_SYNTAX' });
    }
    throw err;
  }
}
