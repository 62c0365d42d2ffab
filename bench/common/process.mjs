/**
 * What the whole-process benchmarks (bench/fim, bench/cf) share: one contestant run as its own
 * process, timed from spawn to exit, its peak memory read by GNU `/usr/bin/time -f %M` (the
 * child's max RSS from wait4, measured the same way for every contestant, native ones included);
 * medians; and a description of the machine for the results file.
 *
 * Each child gets its own process group, so a timeout or Ctrl-C kills it whole. On Ctrl-C the
 * running child is killed, the callbacks given to `onInterrupt` run (removing scratch folders)
 * and the bench exits with 130.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';

export const TIME = '/usr/bin/time';

let running;
const cleanups = [];

export function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group has already exited
  }
}

process.on('SIGINT', () => {
  if (running) killGroup(running);
  for (const cleanup of cleanups) cleanup();
  process.exit(130);
});

/** Registers `fn` to run when the bench is interrupted. */
export function onInterrupt(fn) {
  cleanups.push(fn);
}

/**
 * Runs argv; resolves to { status: 'ok' | 'error' | 'timeout', wallS, peakKiB, stderr, stdout }.
 * With `time` (default: when /usr/bin/time exists) the child runs under it and peakKiB is its max
 * RSS, the format line being written to `timeFile`; without, peakKiB is null. stdout is kept
 * (its last 64 KiB) only when `captureStdout` is set.
 */
export function timedRun(argv, timeFile, timeoutS, { captureStdout = false, time = existsSync(TIME) } = {}) {
  return new Promise((resolvePromise) => {
    const start = process.hrtime.bigint();
    const command = time ? [TIME, '-f', '%e %M', '-o', timeFile, ...argv] : argv;
    const child = spawn(command[0], command.slice(1), { detached: true, stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    running = child.pid;
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.stdout?.on('data', (d) => (stdout = (stdout + d).slice(-(1 << 16))));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutS * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      running = undefined;
      resolvePromise({ status: 'error', wallS: null, peakKiB: null, stderr: String(err), stdout });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      const wallS = Number(process.hrtime.bigint() - start) / 1e9;
      if (timedOut) return resolvePromise({ status: 'timeout', wallS, peakKiB: null, stderr, stdout });
      // -o gets "Command exited with non-zero status N" before the format line on failure
      const last = time && existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').pop() : '';
      const peakKiB = Number(last.split(' ')[1]) || null;
      resolvePromise({ status: code === 0 ? 'ok' : 'error', wallS, peakKiB, stderr: code === 0 ? '' : stderr.trim(), stdout });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Node, CPU, cores, memory, OS and the repository's commit (`git describe --dirty`). */
export function machine(root) {
  const git = spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' });
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    totalMemMiB: Math.round(totalmem() / 2 ** 20),
    platform: `${platform()} ${release()}`,
    commit: git.status === 0 ? git.stdout.trim() : null,
  };
}
