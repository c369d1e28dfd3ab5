/**
 * A fake terminal for renderPull/renderProbe/renderLoad: a stdout of a chosen size that keeps
 * every write, and a stdin that accepts key presses. Frames are the writes with ANSI removed.
 */
import { EventEmitter } from 'node:events';

const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  writes: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (chunk: string | Uint8Array): boolean => {
    this.writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  /** The last write that drew a frame (not only cursor moves), without ANSI codes. */
  lastFrame(): string {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const text = stripAnsi(this.writes[i]!);
      if (text.trim() !== '') return text;
    }
    return '';
  }
  /** Everything written, without ANSI codes. */
  all(): string {
    return stripAnsi(this.writes.join(''));
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEYS = { up: '\u001B[A', down: '\u001B[B', enter: '\r', ctrlC: '\u0003' } as const;

export function terminal(columns = 80, rows = 24): { stdout: NodeJS.WriteStream & FakeStdout; stdin: NodeJS.ReadStream & FakeStdin } {
  return {
    stdout: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream & FakeStdout,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream & FakeStdin,
  };
}

export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` passes (re-checking every 10 ms), failing after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await tick(10);
  }
}
