/**
 * Shard workers on Node's worker_threads (Deno and Bun provide the same module): each runs
 * shard-worker.js with its own instance of the compiled module. The calling thread blocks in
 * Atomics.wait until a worker bumps its flag, then takes the reply with receiveMessageOnPort, so
 * training stays a synchronous call. Workers are unref'd: one left open never keeps a process
 * alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { GroveError } from '../runtime/errors.js';
import { kernelModule } from '../runtime/kernel.js';
import { setShardSpawner, type ShardLink } from './feature-shards.js';

const GONE = -1; // shard-worker.ts's WORKER_GONE

/** The worker script: the bundle's sibling, or the built one when running from `src/`. */
function workerScript(): string {
  for (const url of [new URL('./shard-worker.js', import.meta.url), new URL('../../dist/shard-worker.js', import.meta.url)]) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new GroveError(`nThreads: shard-worker.js not found next to ${fileURLToPath(import.meta.url)}: run "npm run build"`);
}

function spawn(count: number): ShardLink[] {
  const script = workerScript();
  const module = kernelModule();
  return Array.from({ length: count }, () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { module, port: port2, flag }, transferList: [port2] });
    worker.unref();
    let replies = 0;
    return {
      send: (request, transfer) => port1.postMessage(request, transfer ?? []),
      receive() {
        for (;;) {
          const now = Atomics.load(flag, 0);
          if (now === GONE) throw new GroveError('a training worker thread stopped unexpectedly');
          if (now !== replies) break;
          Atomics.wait(flag, 0, now);
        }
        replies++;
        const reply = receiveMessageOnPort(port1)?.message as { value?: unknown; error?: string } | undefined;
        if (!reply) throw new GroveError('a training worker thread replied without a message');
        if (reply.error !== undefined) throw new GroveError(`training worker: ${reply.error}`);
        return reply.value;
      },
      close() {
        port1.close();
        void worker.terminate();
      },
    };
  });
}

setShardSpawner(spawn);
