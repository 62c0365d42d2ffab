#!/usr/bin/env node
/**
 * `npm run bench:cf`: item-KNN (cosine, K = 20) fit + top-10 for every user, ours against scipy
 * and the JS package collaborative-filter, each contestant a process of its own.
 *
 * Cases: ML-100K (u.data), ml-latest-small (ratings.csv), ML-1M (ratings.dat, when present),
 * and seeded synthetic sets with ML-1M's and ML-10M's shape (synthetic.mjs). Each case is read
 * once here (with grove's readRatings and Interactions, so duplicates merge by grove's rule) and
 * written to a binary triples file (triples.mjs) that every contestant reads; no one's timings
 * include parsing text.
 *   grove                run-grove.mjs: Interactions build, ItemKnnRecommender.fit, recommendAll
 *   scipy                run_scipy.py: X.T @ X, cosine, top-K per row, batched X @ S_K top-N;
 *                        where `python3` (GROVE_BENCH_PYTHON) imports numpy and scipy
 *   collaborative-filter run-collaborative-filter.mjs, on ML-100K once (it takes minutes), with
 *                        --with-collaborative-filter or --all; installed from the npm registry
 *                        into a folder outside the repository on first use (not a devDependency:
 *                        it brings mathjs 6, 24 MB, for a run few will make)
 * Each child times its own build, fit and top-N sections (reading the file excluded); its peak
 * memory is the whole process's max RSS from GNU `/usr/bin/time -f %M`, or the child's own
 * getrusage figure when that program is missing. grove and scipy run interleaved (A B A B …) so
 * that noise on a shared machine falls on both alike; medians over --runs.
 *
 * Agreement: in the first run grove and scipy also write every user's top-N list (lists.mjs):
 * identical, or the same scores at every rank (ties ordered another way), or different. A few
 * lists may differ because two similarities that are equal in exact arithmetic round apart in
 * float32 (ours) and float64 (scipy) and fall on both sides of the K-th neighbour (e.g. the
 * single-rater items of one user, all at x_ut / ‖t‖ from item t): more than 1% of the users
 * with different lists marks the case and makes the bench exit 1.
 *
 * Results: a table on stdout; everything (each run, medians, agreement, machine) in
 * bench/results/cf-<date>.json (ignored by git), or --out FILE.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argChecks } from '../common/args.mjs';
import { TIME, machine, median, onInterrupt, timedRun } from '../common/process.mjs';
import { markdownTable } from '../common/table.mjs';
import { compareLists, readLists } from './lists.mjs';
import { SHAPES, synthesize } from './synthetic.mjs';
import { writeTriples } from './triples.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const MOVIELENS = process.env.GROVE_MOVIELENS_DIR ?? resolve(ROOT, '../shared/data/movielens');
const PYTHON = process.env.GROVE_BENCH_PYTHON ?? '/usr/bin/python3';
const PEER_DIR = process.env.GROVE_BENCH_CF_PEER_DIR ?? join(tmpdir(), 'grove-bench-collaborative-filter');
const PEER_PACKAGE = 'collaborative-filter@1.0.0-beta.3';

const FILES = {
  'ml-100k': 'ml-100k/u.data',
  'ml-latest-small': 'ml-latest-small/ratings.csv',
  'ml-1m': 'ml-1m/ratings.dat',
};
const ALL_CASES = [...Object.keys(FILES), ...Object.keys(SHAPES)];
const QUICK_CASES = ['ml-100k', 'ml-latest-small', 'synthetic-1m'];
/** Share of users whose lists may differ beyond ties before a case counts as disagreeing. */
const DISAGREE_LIMIT = 0.01;

const USAGE = `usage: node bench/cf/bench.mjs [options]
  --runs N                     runs per contestant and case (default 3; medians reported)
  --cases LIST                 comma-separated, from ${ALL_CASES.join(', ')} (default: all)
  --quick                      one run of ${QUICK_CASES.join(', ')}
  --skip LIST                  contestants to leave out: grove, scipy
  --with-collaborative-filter  also run collaborative-filter on ML-100K, once (minutes)
  --all                        every case and collaborative-filter
  --k K                        neighbours per item (default 20)
  -n N                         list length (default 10)
  --seed S                     synthetic data seed (default 42)
  --timeout S                  kill a run after S seconds; that contestant stops on that case (default 1800)
  --out FILE                   results JSON (default bench/results/cf-<date>.json)
env: GROVE_MOVIELENS_DIR      MovieLens folder (default ../shared/data/movielens from the repository root)
     GROVE_BENCH_PYTHON       python with numpy and scipy (default /usr/bin/python3)
     GROVE_BENCH_CF_PEER_DIR  where collaborative-filter is installed (default $TMPDIR/grove-bench-collaborative-filter)`;

const { fail, positiveInt, nonNegativeInt } = argChecks('cf', USAGE);

function parseArgs(argv) {
  const opts = { runs: undefined, cases: undefined, quick: false, all: false, skip: new Set(), peer: false, k: 20, n: 10, seed: 42, timeoutS: 1800, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--runs') opts.runs = positiveInt(value(), arg);
    else if (arg === '--cases') opts.cases = value().split(',').filter(Boolean);
    else if (arg === '--quick') opts.quick = true;
    else if (arg === '--all') opts.all = true;
    else if (arg === '--skip') for (const name of value().split(',')) opts.skip.add(name);
    else if (arg === '--with-collaborative-filter') opts.peer = true;
    else if (arg === '--k') opts.k = positiveInt(value(), arg);
    else if (arg === '-n') opts.n = positiveInt(value(), arg);
    else if (arg === '--seed') opts.seed = nonNegativeInt(value(), arg);
    else if (arg === '--timeout') opts.timeoutS = positiveInt(value(), arg);
    else if (arg === '--out') opts.out = resolve(value());
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  for (const name of opts.skip) if (name !== 'grove' && name !== 'scipy') fail(`--skip: unknown contestant "${name}" (known: grove, scipy)`);
  for (const name of opts.cases ?? []) if (!ALL_CASES.includes(name)) fail(`unknown case "${name}" (known: ${ALL_CASES.join(', ')})`);
  opts.runs ??= opts.quick ? 1 : 3;
  opts.cases ??= opts.quick ? QUICK_CASES : ALL_CASES;
  opts.peer ||= opts.all;
  return opts;
}

/** Writes the case's triples file; null (with a note) when its data file is absent. */
async function prepareCase(name, opts, dir, notes) {
  const { Interactions, readRatings } = await import('grove-ml');
  const path = join(dir, `${name}.triples`);
  if (SHAPES[name]) {
    const t = process.hrtime.bigint();
    const data = synthesize(name, opts.seed);
    writeTriples(path, data);
    const genS = Number(process.hrtime.bigint() - t) / 1e9;
    return { name, source: `synthetic (synthetic.mjs, seed ${opts.seed}, generated in ${genS.toFixed(1)} s)`, path, nUsers: data.nUsers, nItems: data.nItems, nnz: data.users.length };
  }
  const file = join(MOVIELENS, FILES[name]);
  if (!existsSync(file)) {
    notes.push(`${name}: skipped, ${file} is absent`);
    return null;
  }
  const data = Interactions.fromColumns(await readRatings(file));
  const users = new Uint32Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) users.fill(u, data.indptr[u], data.indptr[u + 1]);
  writeTriples(path, { users, items: data.indices, scores: data.values, nUsers: data.nUsers, nItems: data.nItems });
  return { name, source: file, path, nUsers: data.nUsers, nItems: data.nItems, nnz: data.nnz };
}

/** Exits with a hint when the built package (dist/) cannot be loaded. */
async function checkBuild() {
  try {
    await import('grove-ml');
  } catch (err) {
    console.error(`bench:cf: cannot load grove-ml from dist/ (run "npm run build" first): ${err.message}`);
    process.exit(1);
  }
}

/** Where python can import numpy and scipy: their versions; else null and a note. */
function scipyAvailable(notes) {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy, scipy, sys; print(sys.version.split()[0], numpy.__version__, scipy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    notes.push(`scipy: skipped, ${PYTHON} cannot import numpy and scipy (${(probe.stderr || String(probe.error)).trim().split('\n').pop()})`);
    return null;
  }
  const [python, numpy, scipy] = probe.stdout.trim().split(' ');
  return { python, numpy, scipy };
}

/** The peer's folder, installing it there from the npm registry if needed; null (with a note) on failure. */
function collaborativeFilterDir(notes) {
  if (existsSync(join(PEER_DIR, 'node_modules/collaborative-filter/package.json'))) return PEER_DIR;
  mkdirSync(PEER_DIR, { recursive: true });
  writeFileSync(join(PEER_DIR, 'package.json'), '{ "private": true }\n');
  process.stderr.write(`installing ${PEER_PACKAGE} into ${PEER_DIR} …\n`);
  try {
    execFileSync('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--save-exact', PEER_PACKAGE], { stdio: ['ignore', 'ignore', 'inherit'] });
    return PEER_DIR;
  } catch (err) {
    notes.push(`collaborative-filter: skipped, npm install ${PEER_PACKAGE} failed (${err.message.split('\n')[0]})`);
    return null;
  }
}

/** One child run; its JSON line is merged into the result, and checked against the case. */
async function runOnce(argv, c, tmp, opts) {
  const run = await timedRun(argv, join(tmp, 'time.out'), opts.timeoutS, { captureStdout: true });
  if (run.status === 'ok') {
    try {
      Object.assign(run, JSON.parse(run.stdout.trim().split('\n').pop()));
    } catch {
      Object.assign(run, { status: 'error', stderr: `no JSON result on stdout: ${run.stdout.slice(-200)}` });
    }
    if (run.status === 'ok' && run.nnz !== c.nnz) Object.assign(run, { status: 'wrong', check: `${run.nnz} ratings, expected ${c.nnz}` });
    run.peakKiB ??= run.maxRssKiB; // no /usr/bin/time: the child's own figure
  }
  delete run.stdout;
  return { ...run, command: argv.join(' ') };
}

function logRun(c, label, run) {
  const s = (x) => (x == null ? '' : `${x.toFixed(3)} s`);
  process.stderr.write(`  ${c.name} ${label}: ${run.status}`
    + (run.status === 'ok' ? ` build ${s(run.buildS)}, fit ${s(run.fitS)}, top-N ${s(run.topS)}, peak ${(run.peakKiB / 1024).toFixed(0)} MiB` : '')
    + (run.check ? ` (${run.check})` : '')
    + (run.status === 'error' ? `\n    ${run.stderr.split('\n').slice(-3).join('\n    ')}` : '') + '\n');
}

const SECTIONS = ['buildS', 'fitS', 'topS', 'totalS', 'peakMiB'];

/** Medians (and min/max) of each section over the correct runs; the status is the worst run's. */
function summarize(runs) {
  const ok = runs.filter((r) => r.status === 'ok').map((r) => ({ ...r, totalS: r.fitS + r.topS, peakMiB: r.peakKiB / 1024 }));
  const status = ['wrong', 'error', 'timeout'].find((s) => runs.some((r) => r.status === s)) ?? 'ok';
  const out = { status, okRuns: ok.length, runs };
  if (ok.length === 0) return out;
  for (const key of SECTIONS) {
    const xs = ok.map((r) => r[key]);
    out[key] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  }
  return out;
}

async function benchCase(c, opts, tmp, scipy) {
  const node = process.execPath;
  const list = [];
  if (!opts.skip.has('grove')) list.push({ name: 'grove', argv: (lists) => [node, join(HERE, 'run-grove.mjs'), c.path, String(opts.k), String(opts.n), ...lists] });
  if (scipy && !opts.skip.has('scipy')) list.push({ name: 'scipy', argv: (lists) => [PYTHON, join(HERE, 'run_scipy.py'), c.path, String(opts.k), String(opts.n), ...lists] });
  const runs = Object.fromEntries(list.map((x) => [x.name, []]));
  const stopped = new Set();
  for (let r = 0; r < opts.runs; r++) {
    for (const x of list) {
      if (stopped.has(x.name)) continue;
      const lists = r === 0 ? [join(tmp, `${c.name}.${x.name}.lists`)] : [];
      const run = await runOnce(x.argv(lists), c, tmp, opts);
      logRun(c, `run ${r + 1}/${opts.runs} ${x.name}`, run);
      if (run.status !== 'ok') stopped.add(x.name);
      runs[x.name].push(run);
    }
  }
  const contestants = Object.fromEntries(list.map((x) => [x.name, summarize(runs[x.name])]));
  const result = { case: c.name, source: c.source, shape: { nUsers: c.nUsers, nItems: c.nItems, ratings: c.nnz }, contestants };
  const [ours, peer] = [contestants.grove, contestants.scipy];
  if (ours?.totalS && peer?.totalS) {
    result.ratios = { scipyOverOursTime: peer.totalS.median / ours.totalS.median, scipyOverOursPeak: peer.peakMiB.median / ours.peakMiB.median };
  }
  const files = ['grove', 'scipy'].map((name) => join(tmp, `${c.name}.${name}.lists`));
  if (ours?.runs[0]?.status === 'ok' && peer?.runs[0]?.status === 'ok' && files.every(existsSync)) {
    const agreement = compareLists(readLists(files[0]), readLists(files[1]));
    agreement.disagrees = agreement.different > DISAGREE_LIMIT * agreement.users;
    result.agreement = agreement;
    if (agreement.different > 0) process.stderr.write(`  ${c.name}: ${agreement.different} top-${opts.n} lists differ beyond ties, e.g. ${JSON.stringify(agreement.examples[0])}\n`);
  }
  return result;
}

/** Peak memory of each runtime doing nothing but load its libraries, for reading small cases. */
async function baselines(tmp, scipy) {
  const node = await timedRun([process.execPath, '--input-type=module', '-e', "import 'grove-ml'"], join(tmp, 'time.out'), 60);
  const out = { grove: node.peakKiB && node.peakKiB / 1024 };
  if (scipy) out.scipy = (await timedRun([PYTHON, '-c', 'import numpy, scipy.sparse'], join(tmp, 'time.out'), 60)).peakKiB / 1024;
  return out;
}

const seconds = (x) => (x == null ? '' : x < 10 ? x.toFixed(3) : x.toFixed(1));
const mib = (x) => (x == null ? '' : x.toFixed(0));

function cell(s, key, format) {
  if (!s) return '';
  if (!s[key]) return s.status;
  return `${format(s[key].median)}${s.status === 'ok' ? '' : ` (${s.status})`}`;
}

function agreementCell(a) {
  if (!a) return '';
  const pct = (x) => `${((100 * x) / a.users).toFixed(2)}%`;
  return `${pct(a.identical)} same${a.ties ? `, ${pct(a.ties)} ties` : ''}${a.different ? `, ${pct(a.different)} differ${a.disagrees ? ' (TOO MANY)' : ''}` : ''}`;
}

function printTable(results, n) {
  const head = ['case', 'ratings', 'ours build', 'ours fit', `ours top-${n}`, 'ours MiB', 'scipy build', 'scipy fit', `scipy top-${n}`, 'scipy MiB',
    `scipy/ours fit+top-${n}`, 'scipy/ours MiB', `same top-${n}`];
  const rows = results.map((r) => {
    const { grove, scipy } = r.contestants;
    return [r.case, r.shape.ratings.toLocaleString('en-US'),
      cell(grove, 'buildS', seconds), cell(grove, 'fitS', seconds), cell(grove, 'topS', seconds), cell(grove, 'peakMiB', mib),
      cell(scipy, 'buildS', seconds), cell(scipy, 'fitS', seconds), cell(scipy, 'topS', seconds), cell(scipy, 'peakMiB', mib),
      r.ratios ? r.ratios.scipyOverOursTime.toFixed(2) : '', r.ratios ? r.ratios.scipyOverOursPeak.toFixed(2) : '', agreementCell(r.agreement)];
  });
  console.log(markdownTable(head, rows));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  await checkBuild();
  const date = new Date();
  const notes = [];
  if (!existsSync(TIME)) notes.push(`${TIME} is missing: peak memory is each child's own getrusage max RSS`);
  const scipy = opts.skip.has('scipy') ? null : scipyAvailable(notes);
  notes.push('implicit (the Python library, 0.7.x): not run, PyPI cannot be reached from this machine');
  const report = {
    bench: 'cf',
    date: date.toISOString(),
    machine: { ...machine(ROOT), ...(scipy && { python: scipy.python, numpy: scipy.numpy, scipy: scipy.scipy }) },
    options: { runs: opts.runs, cases: opts.cases, k: opts.k, n: opts.n, seed: opts.seed, timeoutS: opts.timeoutS, skip: [...opts.skip] },
    notes,
    cases: [],
  };
  const tmp = mkdtempSync(join(tmpdir(), 'grove-bench-cf-'));
  onInterrupt(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    report.baselinesMiB = await baselines(tmp, scipy);
    let ml100k;
    for (const name of opts.cases) {
      const c = await prepareCase(name, opts, tmp, notes);
      if (!c) continue;
      process.stderr.write(`${name}: ${c.nUsers} users × ${c.nItems} items, ${c.nnz} ratings\n`);
      const result = await benchCase(c, opts, tmp, scipy);
      report.cases.push(result);
      if (name === 'ml-100k') ml100k = { c, result };
      rmSync(c.path, { force: true });
    }
    if (opts.peer) report.collaborativeFilter = await benchPeer(ml100k, opts, tmp, notes);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  console.log(`\nItem-KNN cosine, K = ${opts.k}: fit and top-${opts.n} for every user, seconds inside each process (median of ${opts.runs}); peak RSS of the whole process in MiB`);
  printTable(report.cases, opts.n);
  const b = report.baselinesMiB;
  console.log(`baseline peak RSS (libraries loaded, no work): grove ${mib(b.grove)} MiB${b.scipy ? `, python + scipy ${mib(b.scipy)} MiB` : ''}`);
  const peer = report.collaborativeFilter;
  if (peer?.status === 'ok') {
    console.log(`collaborative-filter on ML-100K (one run, its own Jaccard-like similarity, dense): build ${seconds(peer.buildS)} s, `
      + `fit ${seconds(peer.fitS)} s, top-${opts.n} ${seconds(peer.topS)} s, peak ${mib(peer.peakKiB / 1024)} MiB; `
      + `fit + top-${opts.n} = ${peer.ratioOverOurs.toFixed(0)}× ours`);
  } else if (peer) console.log(`collaborative-filter on ML-100K: ${peer.status}${peer.stderr ? ` (${peer.stderr.split('\n').pop()})` : ''}`);
  for (const note of notes) console.log(`note: ${note}`);

  const file = opts.out ?? join(ROOT, 'bench/results', `cf-${date.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
  const bad = report.cases.filter((r) => r.agreement?.disagrees || Object.values(r.contestants).some((s) => s.status === 'wrong'));
  if (bad.length) {
    console.error(`bench:cf: WRONG or disagreeing output on ${bad.map((r) => r.case).join(', ')}`);
    process.exitCode = 1;
  }
}

/** collaborative-filter on ML-100K, once; its ratio is over our median fit + top-N there. */
async function benchPeer(ml100k, opts, tmp, notes) {
  if (!ml100k) {
    notes.push('collaborative-filter: skipped, it runs on ML-100K only and that case did not run');
    return undefined;
  }
  const dir = collaborativeFilterDir(notes);
  if (!dir) return undefined;
  const { c, result } = ml100k;
  // the triples file was removed after the case ran: write it again
  await prepareCase(c.name, opts, tmp, notes);
  const run = await runOnce([process.execPath, join(HERE, 'run-collaborative-filter.mjs'), dir, c.path, String(opts.n)], c, tmp, opts);
  logRun(c, 'collaborative-filter', run);
  const ours = result.contestants.grove?.totalS?.median;
  if (run.status === 'ok' && ours) run.ratioOverOurs = (run.fitS + run.topS) / ours;
  return run;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
