/**
 * Typed, strict reading of one decoded TOML table. Every error names the file, the key path and what
 * was expected, so a user can fix the scenario without reading our code. Unknown keys are errors: a
 * misspelt expectation (`erorr-class`) must not pass silently.
 */
import { ConfigError } from '../errors.ts';
import { closestName } from '../did-you-mean.ts';

export const SCENARIO_CODE = 'PP_ERR_SCENARIO';

export type TomlTable = Record<string, unknown>;

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

export class TableReader {
  readonly file: string;
  readonly path: string;
  readonly table: TomlTable;
  private readonly used = new Set<string>();

  constructor(file: string, path: string, table: TomlTable) {
    this.file = file;
    this.path = path;
    this.table = table;
  }

  /** The full key path of a key of this table (`pull[0].expect.outcome`). */
  keyPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  fail(key: string, expected: string, got?: unknown): ConfigError {
    const tail = arguments.length >= 3 ? `, got ${describe(got)}` : '';
    return new ConfigError(`${this.file}: ${this.keyPath(key)}: expected ${expected}${tail}`, {
      file: this.file,
      code: SCENARIO_CODE,
    });
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  raw(key: string): unknown {
    this.used.add(key);
    return this.table[key];
  }

  string(key: string, opts: { required: true; oneOf?: readonly string[] }): string;
  string(key: string, opts?: { required?: false; oneOf?: readonly string[] }): string | undefined;
  string(key: string, opts: { required?: boolean; oneOf?: readonly string[] } = {}): string | undefined {
    const v = this.raw(key);
    if (v === undefined) {
      if (opts.required) throw this.fail(key, opts.oneOf ? `one of ${opts.oneOf.join(', ')}` : 'a string (required)');
      return undefined;
    }
    if (typeof v !== 'string') throw this.fail(key, 'a string', v);
    if (opts.oneOf && !opts.oneOf.includes(v)) throw this.fail(key, `one of ${opts.oneOf.map((s) => `"${s}"`).join(', ')}`, v);
    return v;
  }

  number(key: string, opts: { min?: number; integer?: boolean } = {}): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    const what = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}`;
    if (typeof v !== 'number' || Number.isNaN(v)) throw this.fail(key, what, v);
    if (opts.integer && !Number.isInteger(v)) throw this.fail(key, what, v);
    if (opts.min !== undefined && v < opts.min) throw this.fail(key, what, v);
    return v;
  }

  stringArray(key: string): string[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw this.fail(key, 'a string or an array of strings', v);
    return v as string[];
  }

  /** A sub-table, as a reader. */
  subTable(key: string, opts: { required?: boolean } = {}): TableReader | undefined {
    const v = this.raw(key);
    if (v === undefined) {
      if (opts.required) throw this.fail(key, 'a table (required)');
      return undefined;
    }
    if (!isTable(v)) throw this.fail(key, 'a table', v);
    return new TableReader(this.file, this.keyPath(key), v);
  }

  /** An array of tables (`[[pull]]`), each as a reader with its index in the path. */
  tables(key: string): TableReader[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    const list = isTable(v) ? [v] : v;
    if (!Array.isArray(list)) throw this.fail(key, 'an array of tables', v);
    return list.map((item, i) => {
      const at = `${this.keyPath(key)}[${i}]`;
      if (!isTable(item)) {
        throw new ConfigError(`${this.file}: ${at}: expected a table, got ${describe(item)}`, { file: this.file, code: SCENARIO_CODE });
      }
      return new TableReader(this.file, at, item);
    });
  }

  /** Keys present but never read: reported with the list of keys this table knows. */
  rejectUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.table)) {
      if (!this.used.has(key) && !known.includes(key)) {
        const hint = closestName(key, known);
        throw new ConfigError(
          `${this.file}: ${this.keyPath(key)}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; expected one of ${known.join(', ')}`,
          { file: this.file, code: SCENARIO_CODE },
        );
      }
    }
  }
}

