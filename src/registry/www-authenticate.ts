/**
 * WWW-Authenticate parsing (RFC 7235 §4.1, RFC 6750 §3): one header may hold several challenges,
 * each `scheme` followed by comma-separated `key=value` or `key="quoted \"value\""` parameters.
 * Scheme and keys are lower-cased, as the runtime's challenge parser does.
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses one or several header values into challenges, in order. Malformed parts are skipped. */
export function parseWwwAuthenticate(values: string | readonly string[] | undefined | null): Challenge[] {
  if (values == null) return [];
  const list = typeof values === 'string' ? [values] : values;
  return list.flatMap(parseOne);
}

function parseOne(h: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = h.length;
  const ws = () => {
    while (i < n && (h[i] === ' ' || h[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(h[i]!)) i++;
    return h.slice(start, i);
  };
  const quoted = (): string => {
    // Slices between escapes, not one concatenation per character: a server may send a 1 MiB challenge
    // (Go reads up to 10 MiB of headers), and per-character strings cost ~100 ms per MiB.
    let v = '';
    i++; // opening quote
    let run = i;
    while (i < n && h[i] !== '"') {
      if (h[i] === '\\' && i + 1 < n) {
        v += h.slice(run, i);
        i++;
        run = i;
      }
      i++;
    }
    v += h.slice(run, i);
    i++; // closing quote
    return v;
  };
  let current: Challenge | null = null;
  while (i < n) {
    ws();
    if (h[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    const tok = token();
    if (tok === '') {
      i = start + 1; // skip an unexpected character
      continue;
    }
    ws();
    if (h[i] === '=' && current !== null) {
      i++;
      ws();
      let value: string;
      if (h[i] === '"') value = quoted();
      else {
        const vs = i;
        while (i < n && h[i] !== ',' && h[i] !== ' ' && h[i] !== '\t') i++;
        value = h.slice(vs, i);
      }
      current.params[tok.toLowerCase()] = value;
    } else {
      // token68 (e.g. `Negotiate abc==`) is not used by registries; a bare token starts a new challenge.
      current = { scheme: tok.toLowerCase(), params: {} };
      out.push(current);
      if (h[i] !== ',' && i < n) {
        // `Bearer realm=…`: parameters follow after whitespace, handled by the loop.
      }
    }
  }
  return out;
}
