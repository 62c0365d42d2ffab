/**
 * Reading numeric tables from files in Node: plain or gzip'd CSV (told apart by gzip's magic
 * bytes), or stdin for "-", streamed into `TableParser`.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';
import { TableParser, type NumericTable, type TableOptions } from './table.js';

/** The table in the CSV file at `path` (gzip'd or not); "-" reads stdin. Node only. */
export async function readTable(path: string, options: Omit<TableOptions, 'source'> = {}): Promise<NumericTable> {
  if (typeof path !== 'string' || path === '') throw new GroveArgumentError(`readTable: path must be a non-empty string, got ${String(path)}`);
  const source = path === '-' ? 'stdin' : path;
  const parser = new TableParser({ ...options, source });
  for await (const chunk of fileChunks(path, source)) parser.push(chunk);
  return parser.end();
}

const CHUNK_BYTES = 1 << 20;

/** The bytes of `path` (stdin for "-"), gunzipped when they start with gzip's magic 1f 8b. */
async function* fileChunks(path: string, source: string): AsyncGenerator<Uint8Array> {
  const raw: AsyncIterable<Uint8Array> = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const it = raw[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) break;
    head = head.length === 0 ? next.value : concat(head, next.value);
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    yield* all();
    return;
  }
  const compressed = Readable.from(all(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  compressed.on('error', (err) => gunzip.destroy(err));
  compressed.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (err) {
    // zlib's errors carry a Z_* code and no syscall: say which input is broken
    if (typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('Z_')) {
      throw new GroveDataError(`${source}: not a valid gzip file (${(err as Error).message})`);
    }
    throw err;
  } finally {
    compressed.destroy();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
