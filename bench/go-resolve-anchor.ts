/**
 * containers/image's own resolution as bench/resolve.ts's anchor, measured in the same run: builds
 * bench/go-resolve/main.go against Debian's golang-github-containers-image-dev (GOPATH mode, offline) and runs it on
 * the same bench/data inputs. When Go or the package is missing, `goResolveAnchor()` says which, and the bench
 * prints no ratio.
 *
 * GOPATH mode resolves the library's `/v5` import paths (minimal module compatibility) only for code that sits in a
 * GOPATH workspace with a go.mod, so the program is copied into a temporary workspace with a generated go.mod.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's golang-github-containers-image-dev installs the package we call. */
export const DEBIAN_GOCODE = '/usr/share/gocode';
const SYSREGISTRIES = join(DEBIAN_GOCODE, 'src/github.com/containers/image/pkg/sysregistriesv2');

export interface GoRun {
  refs: number;
  hits: number;
  sources: number;
  rounds: number[];
  median: number;
  best: number;
  loadMs: number;
}

export type GoAnchor = { ok: true; binary: string; version: string; library: string; run(conf: string, refs: string, rounds: number, limit?: number): GoRun } | { ok: false; why: string };

function debianVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout : 'version unknown';
}

/** Builds the Go program once (about 20 s the first time; Go's build cache makes later builds quick). */
export function goResolveAnchor(): GoAnchor {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return { ok: false, why: 'Go is not installed (apt-get install golang-go)' };
  if (!existsSync(SYSREGISTRIES)) return { ok: false, why: `containers/image's Go sources are not installed (${SYSREGISTRIES} missing; apt-get install golang-github-containers-image-dev)` };
  const ws = mkdtempSync(join(tmpdir(), 'pp-go-resolve-'));
  const pkg = join(ws, 'src/pullpathbench/go-resolve');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(new URL('./go-resolve/main.go', import.meta.url), join(pkg, 'main.go'));
  writeFileSync(join(pkg, 'go.mod'), 'module pullpathbench/go-resolve\n\ngo 1.19\n');
  const binary = join(ws, 'go-resolve');
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: `${ws}:${DEBIAN_GOCODE}`,
    GOFLAGS: '',
    GOPROXY: 'off',
    GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'pullpath-go-build-cache'),
  };
  const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: pkg, env, encoding: 'utf8' });
  if (build.status !== 0) return { ok: false, why: `building bench/go-resolve failed: ${(build.stderr || build.stdout).trim().split('\n').slice(0, 3).join(' | ')}` };
  return {
    ok: true,
    binary,
    version: go.stdout.trim(),
    library: `containers/image from Debian's golang-github-containers-image-dev ${debianVersion('golang-github-containers-image-dev')}`,
    run(conf, refs, rounds, limit) {
      const r = spawnSync(binary, ['-conf', conf, '-refs', refs, '-rounds', String(rounds), ...(limit ? ['-limit', String(limit)] : [])], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`go-resolve failed: ${r.stderr.trim()}`);
      return JSON.parse(r.stdout) as GoRun;
    },
  };
}
