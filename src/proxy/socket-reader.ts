/**
 * Reads a proxy handshake (a CONNECT answer, SOCKS5 replies) from a socket before undici owns it: buffered
 * 'data', waits for a byte count or a header terminator, and fails when the socket errors or closes.
 * `release` detaches, leaving the socket paused and any bytes read past the handshake pushed back.
 */
import type { Socket } from 'node:net';

export class SocketReader {
  #buf: Buffer = Buffer.alloc(0);
  #waiter: (() => void) | null = null;
  #error: Error | null = null;
  #ended = false;
  readonly #onData = (chunk: Buffer): void => {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    this.#wake();
  };
  readonly #onError = (err: Error): void => {
    this.#error = err;
    this.#wake();
  };
  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#wake();
  };

  constructor(readonly socket: Socket) {
    socket.on('data', this.#onData);
    socket.on('error', this.#onError);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }

  async #until(ready: () => number): Promise<Buffer> {
    for (;;) {
      const n = ready();
      if (n >= 0) {
        const out = this.#buf.subarray(0, n);
        this.#buf = this.#buf.subarray(n);
        return out;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) throw Object.assign(new Error(this.#buf.length === 0 ? 'EOF' : 'unexpected EOF'), { code: 'PP_EOF' });
      await new Promise<void>((r) => (this.#waiter = r));
    }
  }

  /** Exactly `n` bytes. */
  read(n: number): Promise<Buffer> {
    return this.#until(() => (this.#buf.length >= n ? n : -1));
  }

  /** Up to and including the blank line that ends an HTTP header block (at most `limit` bytes). */
  readHead(limit: number): Promise<Buffer> {
    return this.#until(() => {
      const i = this.#buf.indexOf('\r\n\r\n');
      if (i >= 0) return i + 4;
      if (this.#buf.length > limit) throw new Error('proxy response headers too long');
      return -1;
    });
  }

  release(): void {
    this.socket.off('data', this.#onData);
    this.socket.off('error', this.#onError);
    // Never a socket without an 'error' listener: a TLS layer or undici takes over next, and reports it.
    this.socket.on('error', ignore);
    this.socket.off('end', this.#onEnd);
    this.socket.off('close', this.#onEnd);
    this.socket.pause();
    if (this.#buf.length > 0) this.socket.unshift(this.#buf);
  }
}

function ignore(): void {}
