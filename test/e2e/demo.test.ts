import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin/pullpath.js'), ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('pullpath demo', () => {
  it('under CI=true prints the plain report of the headline scenario and exits 0 by itself', async () => {
    const r = await run(['demo'], { CI: 'true' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenario first-healthy-mirror-wins  (scenarios/demo.toml)');
    // The attempts in order: mirror 1 refused, mirror 2 404, mirror 3 serves.
    expect(r.stdout).toMatch(
      /1\. mirror  mirror-1\.example\.com:5000\/acme\/app:1\.4  failed \(refused\)[\s\S]*2\. mirror  mirror-2\.example\.com:5000\/acme\/app:1\.4  failed \(not-found\)[\s\S]*3\. mirror  mirror-3\.example\.com\/quay\/acme\/app:1\.4  ok/,
    );
    expect(r.stdout).toContain('(Mirrors also failed: [');
    expect(r.stdout).toContain('PASS: 3/3 pulls as expected');
    expect(r.stdout).not.toMatch(/\x1b\[/); // no TUI escape codes in a pipe
  }, 60_000);

  it('with --no-tui in a pipe does the same without CI set', async () => {
    const r = await run(['demo', '--no-tui'], { CI: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS: 3/3 pulls as expected');
  }, 60_000);
});
