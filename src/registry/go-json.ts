/**
 * Go's encoding/json validity check (json.Unmarshal scans the whole input before decoding), with Go's error
 * texts: `invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`,
 * `invalid character '[' exceeded max depth` (more than 10000 nested arrays/objects, as skopeo 1.9.3 prints it). Iterative: any nesting depth, no recursion.
 * The runtime reports these when a server's manifest is not valid JSON.
 */

/** Go's encoding/json maxNestingDepth. */
export const GO_JSON_MAX_DEPTH = 10000;

/** Go's json `quoteChar`: the byte read as a rune (U+0000–U+00FF), quoted as strconv.Quote would, in single quotes. */
export function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const escapes: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };
  if (escapes[c] !== undefined) return `'${escapes[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

class GoJsonError extends Error {}
const bad = (c: number, where: string): never => {
  throw new GoJsonError(`invalid character ${goQuoteChar(c)} ${where}`);
};
const EOF = (): never => {
  throw new GoJsonError('unexpected end of JSON input');
};

/** Go's error for `bytes` as JSON, or null when Go accepts it. */
export function goJsonError(bytes: Uint8Array): string | null {
  try {
    scan(bytes);
    return null;
  } catch (err) {
    if (err instanceof GoJsonError) return err.message;
    throw err;
  }
}

function scan(b: Uint8Array): void {
  const n = b.length;
  let i = 0;
  // Open containers: true = object, false = array.
  const stack: boolean[] = [];
  const ws = () => {
    while (i < n && isSpace(b[i]!)) i++;
  };
  const str = () => {
    // b[i] is the opening quote
    i++;
    for (;;) {
      if (i >= n) EOF();
      const c = b[i]!;
      if (c === 0x22) return void i++;
      if (c === 0x5c) {
        i++;
        if (i >= n) EOF();
        const e = b[i]!;
        if (e === 0x75) {
          for (let k = 1; k <= 4; k++) {
            if (i + k >= n) EOF();
            if (!isHex(b[i + k]!)) bad(b[i + k]!, 'in \\u hexadecimal character escape');
          }
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) bad(e, 'in string escape code');
        i++;
        continue;
      }
      if (c < 0x20) bad(c, 'in string literal');
      i++;
    }
  };
  const num = () => {
    if (b[i] === 0x2d) {
      i++;
      if (i >= n) EOF();
      if (!isDigit(b[i]!)) bad(b[i]!, 'in numeric literal');
    }
    if (b[i] === 0x30) i++;
    else while (i < n && isDigit(b[i]!)) i++;
    if (i < n && b[i] === 0x2e) {
      i++;
      if (i >= n) EOF();
      if (!isDigit(b[i]!)) bad(b[i]!, 'after decimal point in numeric literal');
      while (i < n && isDigit(b[i]!)) i++;
    }
    if (i < n && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < n && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= n) EOF();
      if (!isDigit(b[i]!)) bad(b[i]!, 'in exponent of numeric literal');
      while (i < n && isDigit(b[i]!)) i++;
    }
  };
  const lit = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      if (i + k >= n) EOF();
      if (b[i + k] !== word.charCodeAt(k)) bad(b[i + k]!, `in literal ${word} (expecting '${word[k]}')`);
    }
    i += word.length;
  };
  const push = (obj: boolean) => {
    stack.push(obj);
    // Go's scanner words it like its syntax errors: `invalid character '[' exceeded max depth`.
    if (stack.length > GO_JSON_MAX_DEPTH) bad(obj ? 0x7b : 0x5b, 'exceeded max depth');
  };

  // State machine: `value` expects a value; after a value, the enclosing container decides.
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      if (i >= n) EOF();
      const c = b[i]!;
      if (c === 0x7b) {
        i++;
        push(true);
        ws();
        if (i >= n) EOF();
        if (b[i] === 0x7d) {
          i++;
          stack.pop();
          expectValue = false;
          continue;
        }
        if (b[i] !== 0x22) bad(b[i]!, 'looking for beginning of object key string');
        str();
        ws();
        if (i >= n) EOF();
        if (b[i] !== 0x3a) bad(b[i]!, 'after object key');
        i++;
        continue; // expect the member's value
      }
      if (c === 0x5b) {
        i++;
        push(false);
        ws();
        if (i >= n) EOF();
        if (b[i] === 0x5d) {
          i++;
          stack.pop();
          expectValue = false;
        }
        continue;
      }
      if (c === 0x22) str();
      else if (c === 0x2d || isDigit(c)) num();
      else if (c === 0x74) lit('true');
      else if (c === 0x66) lit('false');
      else if (c === 0x6e) lit('null');
      else bad(c, 'looking for beginning of value');
      expectValue = false;
      continue;
    }
    // After a complete value.
    if (stack.length === 0) {
      if (i < n) bad(b[i]!, 'after top-level value');
      return;
    }
    if (i >= n) EOF();
    const c = b[i]!;
    const inObject = stack[stack.length - 1]!;
    if (inObject) {
      if (c === 0x2c) {
        i++;
        ws();
        if (i >= n) EOF();
        if (b[i] !== 0x22) bad(b[i]!, 'looking for beginning of object key string');
        str();
        ws();
        if (i >= n) EOF();
        if (b[i] !== 0x3a) bad(b[i]!, 'after object key');
        i++;
        expectValue = true;
      } else if (c === 0x7d) {
        i++;
        stack.pop();
      } else bad(c, 'after object key:value pair');
    } else {
      if (c === 0x2c) {
        i++;
        expectValue = true;
      } else if (c === 0x5d) {
        i++;
        stack.pop();
      } else bad(c, 'after array element');
    }
  }
}
