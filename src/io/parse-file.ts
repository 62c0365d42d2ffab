/** Streams a file through one reused 1 MiB buffer into an incremental parser (Node only). */
import { open } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;

export interface ChunkParser<T> {
  push(chunk: Uint8Array): void;
  end(): T;
}

/** The parser `makeParser(fileSize)` builds, fed the whole file in order. */
export async function parseFile<T>(path: string, makeParser: (size: number) => ChunkParser<T>): Promise<T> {
  const file = await open(path, 'r');
  try {
    const parser = makeParser((await file.stat()).size);
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      parser.push(buffer.subarray(0, bytesRead));
    }
    return parser.end();
  } finally {
    await file.close();
  }
}
