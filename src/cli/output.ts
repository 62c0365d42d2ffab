/**
 * Where a command's result goes: stdout, or a file that appears only when the run succeeds
 * (written as a temporary file in the same folder, renamed over the target at the end, removed
 * on failure). Writes are synchronous, so byte views into WebAssembly memory can be written
 * directly, without a copy; everything else goes through one reused byte buffer.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type OutputFormat = 'spmf' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['spmf', 'json', 'csv'];

const BUFFER_BYTES = 1 << 20;
const encoder = new TextEncoder();

export class Output {
  /** Formatters may write bytes straight into `buffer` from `used` on, after `room`. */
  buffer = new Uint8Array(BUFFER_BYTES);
  used = 0;

  private constructor(
    private readonly fd: number,
    private readonly target?: string,
    private readonly temp?: string,
  ) {}

  /** Whether results for `path` would land on a terminal. */
  static isTerminal(path?: string): boolean {
    return (path === undefined || path === '-') && process.stdout.isTTY === true;
  }

  /** `path` undefined or "-": stdout. */
  static open(path?: string): Output {
    if (path === undefined || path === '-') return new Output(1);
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      return new Output(openSync(temp, 'wx'), path, temp);
    } catch (err) {
      throw Object.assign(err as Error, { path }); // name the file the user asked for
    }
  }

  /** Makes `bytes` free bytes available in `buffer` after `used`. */
  room(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = new Uint8Array(bytes);
  }

  write(text: string): void {
    this.room(3 * text.length); // UTF-8 takes at most 3 bytes per UTF-16 unit
    this.used += encoder.encodeInto(text, this.buffer.subarray(this.used)).written;
  }

  /** Bytes written before this call returns (the caller may reuse or release them afterwards). */
  writeBytes(bytes: Uint8Array): void {
    if (bytes.length >= BUFFER_BYTES >>> 2) {
      this.flush();
      writeAll(this.fd, bytes);
      return;
    }
    this.room(bytes.length);
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Flushes and, for a file, moves it into place. */
  commit(): void {
    this.flush();
    if (this.temp === undefined || this.target === undefined) return;
    closeSync(this.fd);
    renameSync(this.temp, this.target);
  }

  /** Drops a partly written file (safe to call after a failed `commit`). */
  abort(): void {
    if (this.temp === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed by commit
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // never created or already renamed
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    writeAll(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

/**
 * Runs `write` against the output for `path` (see `Output.open`): the file is moved into place
 * when `write` returns, and removed when it throws.
 */
export function writeOutput<T>(path: string | undefined, write: (out: Output) => T): T {
  const out = Output.open(path);
  try {
    const result = write(out);
    out.commit();
    return result;
  } catch (err) {
    out.abort();
    throw err;
  }
}

let pause: Int32Array | undefined;

/** `writeSync` until every byte is out; waits briefly when a non-blocking pipe is full. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      pause ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}
