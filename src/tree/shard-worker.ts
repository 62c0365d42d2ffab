/**
 * A worker thread holding one feature shard (feature-shards.ts): it answers each request on its
 * port, then bumps `flag` so the thread waiting in Atomics.wait picks the reply up.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { initSync } from '../runtime/kernel.js';
import type { ShardRequest, SharedRows } from './feature-shards.js';
import { HistShard } from './hist-shard.js';

const { module, port, flag } = workerData as { module: WebAssembly.Module; port: MessagePort; flag: Int32Array };

/** Tells the waiting thread this worker is gone (worker-threads.node.ts's GONE). */
const WORKER_GONE = -1;

let shard: HistShard | undefined;
let shared: SharedRows | undefined;
/** All features' count (node masks span them all). */
let M = 0;

process.on('exit', () => {
  Atomics.store(flag, 0, WORKER_GONE);
  Atomics.notify(flag, 0);
});

initSync(module);
port.on('message', (request: ShardRequest) => {
  let reply: { value?: unknown; error?: string };
  try {
    reply = { value: answer(request) };
  } catch (err) {
    reply = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  port.postMessage(reply);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
});

function answer(request: ShardRequest): unknown {
  switch (request.op) {
    case 'init':
      shared = request.shared;
      M = request.M;
      shard = new HistShard(request.X, request.n, request.m, request.proposal, request.first);
      return undefined;
    case 'begin':
      shard!.begin(request.all ? undefined : shared!.rows, shared!.pairs, request.ns);
      return shard!.evaluate(request.level.nodes, request.level.masks, M, request.params);
    case 'partition':
      return shard!.partitionOwn(request.splits, shared!.decisions);
    case 'finish':
      shard!.finishSplits(request.splits, request.counts, request.level !== undefined, shared!.decisions);
      return request.level && shard!.evaluate(request.level.nodes, request.level.masks, M, request.params);
  }
}
