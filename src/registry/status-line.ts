/**
 * What Go's http.ReadResponse says about a response whose first line is not HTTP (undici only says "Response
 * does not match the HTTP/1.1 protocol"): `malformed HTTP response "…"`, `malformed HTTP status code "…"` or
 * `malformed HTTP version "…"`, checked in Go's order, quoting with %q. The line is what Go's textproto reads:
 * the bytes up to the first `\n`, without the line end.
 */
import { goQuoteBytes } from './go-quote.ts';

/** The first line of `data` as textproto.ReadLine returns it. */
export function firstLine(data: Uint8Array): Uint8Array {
  let end = data.indexOf(0x0a);
  if (end < 0) end = data.length;
  if (end > 0 && data[end - 1] === 0x0d) end--;
  return data.subarray(0, end);
}

function goParseHttpVersion(v: string): boolean {
  if (v === 'HTTP/1.1' || v === 'HTTP/1.0') return true;
  return /^HTTP\/[0-9]\.[0-9]$/.test(v);
}

/** Go's error for this first line, or null when Go would accept it. */
export function malformedStatusLine(data: Uint8Array): string | null {
  const lineBytes = firstLine(data);
  const line = Buffer.from(lineBytes).toString('latin1'); // byte-per-char: only ASCII spaces and digits are inspected
  const sp = line.indexOf(' ');
  if (sp < 0) return `malformed HTTP response ${goQuoteBytes(lineBytes)}`;
  const protoBytes = lineBytes.subarray(0, sp);
  let rest = sp + 1;
  while (rest < line.length && line[rest] === ' ') rest++;
  const codeEnd = line.indexOf(' ', rest);
  const codeBytes = lineBytes.subarray(rest, codeEnd < 0 ? line.length : codeEnd);
  const code = Buffer.from(codeBytes).toString('latin1');
  if (code.length !== 3 || !/^[+-]?[0-9]+$/.test(code) || Number(code) < 0) return `malformed HTTP status code ${goQuoteBytes(codeBytes)}`;
  if (!goParseHttpVersion(Buffer.from(protoBytes).toString('latin1'))) return `malformed HTTP version ${goQuoteBytes(protoBytes)}`;
  return null;
}

/** A TLS record header (handshake 0x16 or alert 0x15, version 3.x): a TLS listener answering plain text. */
export function looksLikeTls(data: Uint8Array): boolean {
  return data.length >= 2 && (data[0] === 0x15 || data[0] === 0x16) && data[1] === 0x03;
}
