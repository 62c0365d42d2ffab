#!/usr/bin/env node
/**
 * `npm run bench:fim`: frequent-itemset mining, whole processes side by side.
 *
 * Each case (dataset@absolute support) runs every contestant as its own process, interleaved
 * (A B C A B C …) so that noise on a shared machine falls on all of them alike:
 *   fpgrowth       `node bin/grove.js fim FILE --min-support N --out OUT` (read + mine + write)
 *   apriori        the same with `--algo apriori`
 *   node-fpgrowth  the JS peer, through run-node-fpgrowth.mjs (same input, same SPMF output)
 *   native         only when GROVE_BENCH_NATIVE holds a command template, e.g.
 *                  `/opt/fpgrowth -s-{support} {file} {out}` (Borgelt: negative = absolute count)
 * Every output is checked against reference.tsv (itemset count and count per length); a wrong
 * answer marks its cell and is never folded into a median.
 *
 * Timing: the wall clock around the process (hrtime, from spawn to exit). Peak memory: the
 * child's max RSS as reported by GNU `/usr/bin/time -f %M` (wait4 rusage). `time` is used rather
 * than a Node wrapper reporting `process.resourceUsage().maxRSS` because it measures every
 * contestant the same way, the native program included, with no code inside the timed process.
 *
 * The fixed cost of a Node process (`node -e ''`, same measures) is reported beside the table:
 * it is part of every Node contestant's time and memory, and none of the native program's.
 *
 * Results: a table on stdout and everything (each run, medians, min/max, machine) in
 * bench/results/fim-<date>.json. `--micro` adds the in-process kernel section
 * (kernel.bench.mjs: set-up, i.e. read + parse, timed apart from mining).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argChecks } from '../common/args.mjs';
import { TIME, machine, median, onInterrupt, timedRun } from '../common/process.mjs';
import { markdownTable } from '../common/table.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DATA_DIR = process.env.GROVE_FIMI_DIR ?? resolve(ROOT, '../shared/data/fimi');
const CLI = process.env.GROVE_BENCH_CLI ?? join(ROOT, 'bin/grove.js');
const NODE_FPGROWTH = fileURLToPath(new URL('./run-node-fpgrowth.mjs', import.meta.url));

/** The reference supports of the issue; `--all` adds the second, higher support of each set. */
const DEFAULT_CASES = ['retail@44', 'T10I4D100K@50', 'chess@1918', 'mushroom@407'];
const HIGHER_CASES = ['retail@88', 'T10I4D100K@100', 'chess@2238', 'mushroom@813'];

const USAGE = `usage: node bench/fim/bench.mjs [options]
  --runs N         runs per contestant and case (default 3; the median is reported)
  --cases LIST     comma-separated dataset@support, e.g. chess@2238,retail@88
  --all            the four reference cases plus ${HIGHER_CASES.join(', ')}
  --quick          one run of the cheaper cases (${HIGHER_CASES.join(', ')})
  --skip LIST      contestants to leave out: fpgrowth, apriori, node-fpgrowth, native
  --timeout S      kill a run after S seconds and stop running that contestant on that case (default 300)
  --micro          also run the in-process kernel section (benny)
  --micro-only     run only the in-process kernel section
env: GROVE_BENCH_NATIVE  command template with {support} {file} {out}, e.g. "/opt/fpgrowth -s-{support} {file} {out}"
     GROVE_FIMI_DIR      data folder (default ../shared/data/fimi from the repository root)
     GROVE_BENCH_CLI     the grove CLI script to time (default bin/grove.js)`;

const { fail, positiveInt } = argChecks('fim', USAGE);

function parseArgs(argv) {
  const opts = { runs: undefined, cases: undefined, all: false, quick: false, skip: new Set(), timeoutS: 300, micro: false, process: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--runs') opts.runs = positiveInt(value(), arg);
    else if (arg === '--cases') opts.cases = value().split(',').filter(Boolean);
    else if (arg === '--all') opts.all = true;
    else if (arg === '--quick') opts.quick = true;
    else if (arg === '--skip') for (const name of value().split(',')) opts.skip.add(name);
    else if (arg === '--timeout') opts.timeoutS = positiveInt(value(), arg);
    else if (arg === '--micro') opts.micro = true;
    else if (arg === '--micro-only') Object.assign(opts, { micro: true, process: false });
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  const known = new Set(['fpgrowth', 'apriori', 'node-fpgrowth', 'native']);
  for (const name of opts.skip) if (!known.has(name)) fail(`--skip: unknown contestant "${name}" (known: ${[...known].join(', ')})`);
  opts.runs ??= opts.quick ? 1 : 3;
  opts.cases ??= opts.quick ? HIGHER_CASES : opts.all ? [...DEFAULT_CASES, ...HIGHER_CASES] : DEFAULT_CASES;
  return opts;
}

/** reference.tsv: dataset, minsup_abs, count, by_length ("1:5,2:6"), canon_sha256. */
function readReference() {
  const refs = new Map();
  for (const line of readFileSync(join(DATA_DIR, 'reference.tsv'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [dataset, support, count, byLength] = line.split('\t');
    const lengths = Object.fromEntries(byLength.split(',').map((kv) => kv.split(':').map(Number)));
    refs.set(`${dataset}@${support}`, { count: Number(count), byLength: lengths });
  }
  return refs;
}

function resolveCases(names, refs) {
  return names.map((name) => {
    const m = /^(.+)@(\d+)$/.exec(name);
    if (!m) fail(`case "${name}" is not dataset@support`);
    const reference = refs.get(name);
    if (!reference) fail(`case "${name}" has no row in ${join(DATA_DIR, 'reference.tsv')} (known: ${[...refs.keys()].join(', ')})`);
    return { name, dataset: m[1], support: Number(m[2]), file: join(DATA_DIR, `${m[1]}.dat`), reference };
  });
}

function contestants(skip) {
  const node = process.execPath;
  const grove = (c, out, extra = []) => [node, CLI, 'fim', c.file, '--min-support', String(c.support), '--out', out, ...extra];
  const list = [
    { name: 'fpgrowth', argv: (c, out) => grove(c, out) },
    { name: 'apriori', argv: (c, out) => grove(c, out, ['--algo', 'apriori']) },
    { name: 'node-fpgrowth', argv: (c, out) => [node, NODE_FPGROWTH, c.file, String(c.support), out] },
  ];
  const template = process.env.GROVE_BENCH_NATIVE;
  if (template) {
    // split on blanks before substituting, so paths with blanks stay one argument each
    const fill = (c, out) => (t) => t.replaceAll('{support}', String(c.support)).replaceAll('{file}', c.file).replaceAll('{out}', out);
    list.push({ name: 'native', argv: (c, out) => template.trim().split(/\s+/).map(fill(c, out)) });
  }
  return list.filter((x) => !skip.has(x.name));
}

/** On Ctrl-C the scratch folder of outputs is removed (the running child is killed by common/process.mjs). */
let scratch;
onInterrupt(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * Counts the itemset lines of an output file and their lengths: the items are the tokens before
 * the first one starting with '#' (SPMF `#SUP:`) or '(' (Borgelt's default `(45)`). A line with
 * no items (the empty set, which Borgelt's fpgrowth may report) is not counted, as in reference.tsv.
 */
function scanOutput(path) {
  const byLength = {};
  let count = 0;
  let tokens = 0;
  let inToken = false;
  let done = false;
  let pending = false;
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b === 10) {
          if (tokens > 0) {
            byLength[tokens] = (byLength[tokens] ?? 0) + 1;
            count++;
          }
          tokens = 0;
          inToken = done = pending = false;
        } else {
          pending = true;
          if (b === 32 || b === 9 || b === 13) inToken = false;
          else if (!done && !inToken) {
            if (b === 35 || b === 40) done = true;
            else {
              tokens++;
              inToken = true;
            }
          }
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  if (pending && tokens > 0) {
    byLength[tokens] = (byLength[tokens] ?? 0) + 1;
    count++;
  }
  return { count, byLength };
}

/** null when the output matches the reference, else what is wrong. */
function checkOutput(path, reference) {
  if (!existsSync(path)) return 'no output file';
  const { count, byLength } = scanOutput(path);
  if (count !== reference.count) return `${count} itemsets, expected ${reference.count}`;
  const lengths = new Set([...Object.keys(byLength), ...Object.keys(reference.byLength)]);
  for (const len of lengths) {
    if ((byLength[len] ?? 0) !== (reference.byLength[len] ?? 0)) {
      return `${byLength[len] ?? 0} itemsets of length ${len}, expected ${reference.byLength[len] ?? 0}`;
    }
  }
  return null;
}

/** Medians over the correct runs; the contestant's status is its worst run. */
function summarize(runs) {
  const ok = runs.filter((r) => r.status === 'ok');
  const status = runs.find((r) => r.status === 'wrong')?.status ?? runs.find((r) => r.status === 'error')?.status
    ?? runs.find((r) => r.status === 'timeout')?.status ?? 'ok';
  if (ok.length === 0) return { status, okRuns: 0 };
  const walls = ok.map((r) => r.wallS);
  const peaks = ok.map((r) => r.peakKiB / 1024);
  return {
    status,
    okRuns: ok.length,
    wallS: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
    peakMiB: { median: median(peaks), min: Math.min(...peaks), max: Math.max(...peaks) },
  };
}

/** The same measures of an empty Node process. */
async function nodeStartup(runs, tmp) {
  const all = [];
  for (let r = 0; r < runs; r++) all.push(await timedRun([process.execPath, '-e', ''], join(tmp, 'node.time'), 60));
  return { ...summarize(all), runs: all };
}

async function benchCase(c, list, opts, tmp) {
  readFileSync(c.file); // warm the page cache so the first contestant does not pay for the disk
  const runs = Object.fromEntries(list.map((x) => [x.name, []]));
  const stopped = new Set();
  for (let r = 0; r < opts.runs; r++) {
    for (const x of list) {
      if (stopped.has(x.name)) continue;
      const out = join(tmp, `${x.name}.out`);
      const timeFile = join(tmp, `${x.name}.time`);
      rmSync(out, { force: true });
      rmSync(timeFile, { force: true });
      const argv = x.argv(c, out);
      process.stderr.write(`  ${c.name} run ${r + 1}/${opts.runs} ${x.name} … `);
      const run = await timedRun(argv, timeFile, opts.timeoutS);
      if (run.status === 'ok') {
        const wrong = checkOutput(out, c.reference);
        if (wrong) Object.assign(run, { status: 'wrong', check: wrong });
      }
      rmSync(out, { force: true });
      if (run.status === 'timeout' || run.status === 'error') stopped.add(x.name);
      runs[x.name].push({ ...run, command: argv.join(' ') });
      process.stderr.write(`${run.status}${run.wallS == null ? '' : ` ${run.wallS.toFixed(3)} s`}`
        + `${run.peakKiB ? ` ${(run.peakKiB / 1024).toFixed(0)} MiB` : ''}${run.check ? ` (${run.check})` : ''}`
        + `${run.status === 'error' ? `\n    ${run.stderr.split('\n').slice(-3).join('\n    ')}` : ''}\n`);
    }
  }
  const summary = Object.fromEntries(list.map((x) => [x.name, { ...summarize(runs[x.name]), runs: runs[x.name] }]));
  // a contestant that answered wrong in any run gets no ratio, whatever its other runs did
  const usable = (name, key) => (summary[name]?.status === 'wrong' ? undefined : summary[name]?.[key]?.median);
  const ratio = (a, b, key = 'wallS') => (usable(a, key) && usable(b, key) ? usable(a, key) / usable(b, key) : null);
  return {
    case: c.name,
    dataset: c.dataset,
    minSupport: c.support,
    reference: c.reference,
    contestants: summary,
    ratios: {
      nodeFpgrowthOverOurs: ratio('node-fpgrowth', 'fpgrowth'),
      aprioriOverOurs: ratio('apriori', 'fpgrowth'),
      oursOverNative: ratio('fpgrowth', 'native'),
      oursOverNativePeakMemory: ratio('fpgrowth', 'native', 'peakMiB'),
    },
  };
}

/** A time cell: the median, or why there is none. */
function timeCell(s) {
  if (!s) return '';
  if (s.status === 'wrong') return 'WRONG';
  if (!s.wallS) return s.status;
  return `${s.wallS.median.toFixed(2)}${s.status === 'ok' ? '' : ` (${s.okRuns}/${s.runs.length} ok, ${s.status})`}`;
}

/** The ratio table; a timed-out peer gets a lower bound for its ratio (the timeout over our median). */
function printTable(results, hasNative, timeoutS) {
  const fmt = (x, digits = 2) => (x == null ? '' : x.toFixed(digits));
  const head = ['case', 'itemsets', 'ours s', 'ours MiB', 'apriori s', 'node-fpgrowth s', 'node-fpg/ours'];
  if (hasNative) head.push('native s', 'native MiB', 'ours/native s', 'ours/native MiB');
  const rows = results.map((r) => {
    const k = r.contestants;
    const ours = k.fpgrowth?.status === 'wrong' ? undefined : k.fpgrowth?.wallS?.median;
    const mib = (s) => fmt(s?.status === 'wrong' ? undefined : s?.peakMiB?.median, 0);
    const peerRatio = () => (k['node-fpgrowth']?.status === 'timeout' && ours ? `>${(timeoutS / ours).toFixed(0)}` : fmt(r.ratios.nodeFpgrowthOverOurs, 1));
    const row = [r.case, String(r.reference.count), timeCell(k.fpgrowth), mib(k.fpgrowth),
      timeCell(k.apriori), timeCell(k['node-fpgrowth']), peerRatio()];
    if (hasNative) row.push(timeCell(k.native), mib(k.native), fmt(r.ratios.oursOverNative), fmt(r.ratios.oursOverNativePeakMemory));
    return row;
  });
  console.log(markdownTable(head, rows));
}

function checkCli() {
  const help = spawnSync(process.execPath, [CLI, 'fim', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) {
    console.error(`bench:fim: \`node ${CLI} fim --help\` failed (run "npm run build" first):\n${help.stderr || help.stdout}`);
    process.exit(1);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(DATA_DIR, 'reference.tsv'))) {
    console.error(`bench:fim: no FIMI data at ${DATA_DIR} (set GROVE_FIMI_DIR)`);
    process.exit(1);
  }
  const date = new Date();
  const report = { bench: 'fim', date: date.toISOString(), machine: machine(ROOT), options: { runs: opts.runs, timeoutS: opts.timeoutS, cases: opts.cases } };

  if (opts.process) {
    const list = contestants(opts.skip);
    if (list.some((x) => x.name === 'fpgrowth' || x.name === 'apriori')) checkCli();
    if (!existsSync(TIME)) {
      console.error(`bench:fim: ${TIME} (GNU time) is needed to measure peak memory`);
      process.exit(1);
    }
    const cases = resolveCases(opts.cases, readReference());
    scratch = mkdtempSync(join(tmpdir(), 'grove-bench-fim-'));
    report.cases = [];
    try {
      report.nodeStartup = await nodeStartup(opts.runs, scratch);
      for (const c of cases) report.cases.push(await benchCase(c, list, opts, scratch));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    console.log(`\nFIM, whole process (read + mine + write), median of ${opts.runs} run(s), wall seconds; peak RSS in MiB`);
    printTable(report.cases, list.some((x) => x.name === 'native'), opts.timeoutS);
    const { wallS, peakMiB } = report.nodeStartup;
    console.log(`node start-up alone (node -e ''): ${wallS.median.toFixed(3)} s, ${peakMiB.median.toFixed(0)} MiB`);
  }

  if (opts.micro) {
    const { microBench } = await import('./kernel.bench.mjs');
    report.micro = await microBench(DATA_DIR, readReference());
  }

  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fim-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
  const bad = [
    ...(report.cases ?? []).filter((r) => Object.values(r.contestants).some((s) => s.status === 'wrong')),
    ...(report.micro ?? []).filter((r) => r.wrong.length > 0),
  ];
  if (bad.length) {
    console.error(`bench:fim: WRONG output on ${bad.map((r) => r.case).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
