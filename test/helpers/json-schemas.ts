/**
 * Validates a command's real JSON Lines output against its schema in schemas/ (ajv, draft-07). Every
 * record must match; the failures name the line and what did not match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { repoRoot } from './run-cli.ts';

const BASE = 'https://pullpath.invalid/schemas/';
const dir = join(repoRoot, 'schemas');
const ajv = new Ajv({ allErrors: true, strict: true });
for (const f of readdirSync(dir).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')) as object);

export const schemaNames = (): string[] => readdirSync(dir).filter((n) => n.endsWith('.schema.json') && n !== 'defs.schema.json').map((n) => n.replace('.schema.json', ''));

export function validator(name: string): ValidateFunction {
  const v = ajv.getSchema(`${BASE}${name}.schema.json`);
  if (!v) throw new Error(`no schema ${name}`);
  return v;
}

/** Parses JSON Lines and returns the records and a list of `line N: …` failures (empty when all match). */
export function checkJsonLines(name: string, stdout: string): { records: Record<string, unknown>[]; failures: string[] } {
  const validate = validator(name);
  const failures: string[] = [];
  const records: Record<string, unknown>[] = [];
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) failures.push('no output');
  lines.forEach((line, i) => {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      failures.push(`line ${i + 1}: not JSON: ${line.slice(0, 80)}`);
      return;
    }
    records.push(rec);
    const ok = validate(rec) as boolean;
    if (!ok) failures.push(`line ${i + 1} (${String(rec.type)}): ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
  });
  return { records, failures };
}
