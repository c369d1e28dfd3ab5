import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/registry/registry-error.ts';
import { PullpathError } from '../../src/errors.ts';

describe('RegistryError', () => {
  it('carries the runtime words, class and status, and is a PullpathError', () => {
    const e = new RegistryError('pinging container registry h: connection refused', 'refused', null, 'a note');
    expect(e).toBeInstanceOf(PullpathError);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('pinging container registry h: connection refused');
    expect(e.name).toBe('RegistryError');
    expect(e.code).toBe('PP_ERR_REGISTRY');
    expect(e.errorClass).toBe('refused');
    expect(e.httpStatus).toBeNull();
    expect(e.detail).toBe('a note');
  });

  it('skips its own stack trace (a value, built per failed attempt) but leaves every other error its stack', () => {
    const before = Error.stackTraceLimit;
    const e = new RegistryError('x', 'other');
    expect(e.stack?.split('\n').filter((l) => l.trimStart().startsWith('at '))).toEqual([]);
    expect(Error.stackTraceLimit).toBe(before);
    const other = new Error('y');
    expect(other.stack?.split('\n').some((l) => l.trimStart().startsWith('at '))).toBe(true);
  });
});
