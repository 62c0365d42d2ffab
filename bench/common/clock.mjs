/**
 * Timing inside a contestant's own process (the runners bench.mjs spawns): wall and CPU seconds
 * of one call, and of a prediction made twice — the first call shows a fresh process, the second
 * the steady throughput.
 */

/** Runs `fn` and returns [its result, wall seconds, CPU seconds of the whole process]. */
export function timed(fn) {
  const wall = process.hrtime.bigint();
  const before = process.cpuUsage();
  const out = fn();
  const cpu = process.cpuUsage(before);
  return [out, Number(process.hrtime.bigint() - wall) / 1e9, (cpu.user + cpu.system) / 1e6];
}

/** Calls `predict` twice: the first call's output and both calls' times, as the runners print them. */
export function timedTwice(predict) {
  const [out, predictFirstS, predictFirstCpuS] = timed(predict);
  const [, predictS, predictCpuS] = timed(predict);
  return { out, times: { predictFirstS, predictFirstCpuS, predictS, predictCpuS } };
}
