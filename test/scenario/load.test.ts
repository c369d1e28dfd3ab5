import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';

const fixtures = join(import.meta.dirname, '../fixtures/scenario');

describe('loadScenario', () => {
  it('reads registries-conf-file and drop-in files relative to the scenario file', async () => {
    const s = await loadScenario(join(fixtures, 'files-and-secrets.toml'));
    expect(s.config.registriesConf).toEqual({ path: join(fixtures, 'confs/main.conf'), text: '[[registry]]\nlocation = "quay.io/acme"\n', source: 'file' });
    expect(s.config.dropins[0]!.path).toBe(join(fixtures, 'confs/50-mirror.conf'));
    expect(s.config.dropins[0]!.text).toContain('secure-mirror.example.com:5000/acme');
  });

  it('names the scenario, the key and the path when a referenced file cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullpath-scenario-test-'));
    const file = join(dir, 's.toml');
    writeFileSync(file, 'name = "x"\n[config]\nregistries-conf = ""\ndropins = [{ file = "missing.conf" }]\n[[pull]]\nref = "a.io/b:1"\n');
    try {
      await expect(loadScenario(file)).rejects.toThrow(`${file}: config.dropins[0].file: expected a readable file (relative to the scenario's folder), cannot read ${join(dir, 'missing.conf')}: ENOENT`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the scenario file when it cannot be read', async () => {
    await expect(loadScenario('/nonexistent/s.toml')).rejects.toThrow('/nonexistent/s.toml: cannot read the scenario file: ENOENT');
  });
});
