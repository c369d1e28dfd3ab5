/**
 * A small JSON parser for policy.json that, unlike JSON.parse, rejects duplicate keys (containers/image's
 * `ParanoidUnmarshalJSONObject` does: `Duplicate key "k"`) and reports the line of every error.
 * Objects come back as null-prototype records, so keys such as `__proto__` are plain data.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function parseStrictJson(text: string): JsonValue {
  const p = new Parser(text);
  p.ws();
  const v = p.value();
  p.ws();
  if (p.i < text.length) throw p.err('Unexpected data after JSON object');
  return v;
}

// Sticky regexes match at lastIndex only, so scanning stays linear in the text length.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  err(msg: string): JsonSyntaxError {
    let line = 1;
    for (let k = 0; k < this.i && k < this.s.length; k++) if (this.s[k] === '\n') line++;
    return new JsonSyntaxError(msg, line);
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] as string)) this.i++;
  }

  value(): JsonValue {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't' || c === 'f' || c === 'n') return this.literal();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    throw this.err(c === undefined ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(c)} looking for beginning of value`);
  }

  object(): JsonObject {
    this.i++;
    const obj: JsonObject = Object.create(null) as JsonObject;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') throw this.err('expected a string object key');
      const keyPos = this.i;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        this.i = keyPos;
        throw this.err(`Duplicate key ${JSON.stringify(key)}`);
      }
      this.ws();
      if (this.s[this.i] !== ':') throw this.err(`expected ":" after object key ${JSON.stringify(key)}`);
      this.i++;
      this.ws();
      obj[key] = this.value();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return obj;
      if (c !== ',') {
        this.i--;
        throw this.err('expected "," or "}" after object value');
      }
    }
  }

  array(): JsonValue[] {
    this.i++;
    const arr: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return arr;
    }
    for (;;) {
      this.ws();
      arr.push(this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return arr;
      if (c !== ',') {
        this.i--;
        throw this.err('expected "," or "]" after array element');
      }
    }
  }

  string(): string {
    STRING.lastIndex = this.i;
    const m = STRING.exec(this.s);
    if (m === null) throw this.err('invalid string literal');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  number(): number {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (m === null) throw this.err('invalid number literal');
    this.i += m[0].length;
    return Number(m[0]);
  }

  literal(): JsonValue {
    for (const [word, val] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return val;
      }
    }
    throw this.err('invalid literal');
  }
}
