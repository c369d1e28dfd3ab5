/**
 * `pullpath explain --output json`: one `explain` record per error found (JSON Lines, input order), field
 * names camelCase as every other command's (schemas/explain.schema.json). `attempts` carry the engine's terms
 * (reference, step, errorClass, httpStatus, error), the same fields as `pullpath pull`'s attempt records.
 */
import type { Explanation } from '../explain/explain.ts';

export function formatExplanationJsonLine(e: Explanation): string {
  const p = e.parsed;
  return JSON.stringify({
    type: 'explain',
    image: p.image,
    normalized: p.normalized,
    format: p.format,
    wrappers: p.wrappers,
    lineJoin: p.lineJoin,
    retries: p.retries,
    truncated: p.truncated,
    summary: e.summary,
    attempts: e.attempts.map((a) => ({
      reference: a.reference,
      host: a.host,
      mirror: a.mirror,
      step: a.step,
      errorClass: a.errorClass,
      httpStatus: a.httpStatus,
      error: a.error,
      what: a.what,
      truncated: a.truncated,
      ...(a.candidate !== undefined ? { candidate: a.candidate } : {}),
      ...(a.blockedPrefix !== undefined ? { blockedPrefix: a.blockedPrefix } : {}),
    })),
    afterChoice: e.afterChoice,
    expected: e.expected,
    findings: e.findings,
    whatToDo: e.whatToDo,
  });
}
