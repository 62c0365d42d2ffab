/**
 * In-process section of `npm run bench:fim` (`--micro` / `--micro-only`): benny cases on
 * data already in memory, so set-up and mining are timed apart:
 *   readTransactions  FIMI file → EncodedDb (the CLI's set-up: read + parse + encode)
 *   fpGrowthTable     mining only, on the parsed db
 *   aprioriTable      the same for Apriori
 *   node-fpgrowth     the JS peer's `exec` on transactions it was handed already split
 * The table-level functions are internal (not in dist/), so they are bundled from src/ with
 * esbuild into a temporary file; the kernel is the built dist/grove.wasm.
 */
import b from 'benny';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FPGrowth } from 'node-fpgrowth';
import { markdownTable } from '../common/table.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CASES = [{ dataset: 'chess', support: 2238 }, { dataset: 'retail', support: 88 }];

const ENTRY = `
import './src/runtime/init.node.ts';
export { readTransactions } from './src/io/transactions.ts';
export { nTransactions } from './src/fim/encode.ts';
export { resolveMineOptions } from './src/fim/options.ts';
export { fpGrowthTable } from './src/fim/fpgrowth.ts';
export { aprioriTable } from './src/fim/apriori.ts';
`;

async function loadKernels() {
  const dir = mkdtempSync(join(tmpdir(), 'grove-bench-kernels-'));
  try {
    const outfile = join(dir, 'kernels.mjs');
    await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'bench-kernels.ts' },
      bundle: true, platform: 'node', format: 'esm', target: 'es2022', outfile, logLevel: 'warning',
    });
    process.env.GROVE_WASM ??= join(ROOT, 'dist/grove.wasm');
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (r) => (r ? r.details.median * 1000 : null);

/**
 * Runs the benny suites; returns one summary per case (medians in ms). `refs` maps
 * "dataset@support" to the reference { count }: each contestant's answer is checked once first.
 */
export async function microBench(dataDir, refs) {
  const k = await loadKernels();
  const out = [];
  for (const { dataset, support } of CASES) {
    const name = `${dataset}@${support}`;
    const file = join(dataDir, `${dataset}.dat`);
    const db = await k.readTransactions(file, { format: 'fimi' });
    const params = k.resolveMineOptions({ minSupport: support }, k.nTransactions(db), 'bench');
    const lines = readFileSync(file, 'latin1').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const transactions = lines.map((line) => line.split(' ').filter((t) => t !== '').map(Number));
    const fraction = (support - 0.5) / transactions.length; // see run-node-fpgrowth.mjs
    const expected = refs.get(name).count;
    const counts = {
      fpGrowthTable: k.fpGrowthTable(db, params).size,
      aprioriTable: k.aprioriTable(db, params).size,
      'node-fpgrowth': (await new FPGrowth(fraction).exec(transactions)).length,
    };
    const wrong = Object.keys(counts).filter((key) => counts[key] !== expected);
    const slow = { minSamples: 3, maxTime: 1 };

    // the sync tests return nothing: benny would take a returned function for set-up
    const summary = await b.suite(
      `FIM in-process ${name} (${expected} itemsets)`,
      b.add('readTransactions', () => k.readTransactions(file, { format: 'fimi' })),
      b.add('fpGrowthTable', () => {
        k.fpGrowthTable(db, params);
      }),
      b.add('aprioriTable', () => {
        k.aprioriTable(db, params);
      }),
      b.add('node-fpgrowth', () => {
        new FPGrowth(fraction).exec(transactions);
      }, slow),
      b.cycle(),
    );
    const byName = Object.fromEntries(summary.results.map((r) => [r.name, r]));
    // no ratio for a wrong answer
    const over = (a, b) => (wrong.includes(a) || wrong.includes(b) ? null : ms(byName[a]) / ms(byName[b]));
    out.push({
      case: name,
      itemsets: expected,
      counts,
      wrong,
      medianMs: Object.fromEntries(summary.results.map((r) => [r.name, ms(r)])),
      results: summary.results.map((r) => ({ name: r.name, samples: r.samples, ...r.details })),
      ratios: {
        nodeFpgrowthOverFpGrowthTable: over('node-fpgrowth', 'fpGrowthTable'),
        aprioriTableOverFpGrowthTable: over('aprioriTable', 'fpGrowthTable'),
        readOverFpGrowthTable: over('readTransactions', 'fpGrowthTable'),
      },
    });
  }
  console.log('\nFIM in process, median ms (set-up apart from mining)');
  const f = (x) => (x == null ? '' : x.toFixed(1));
  const rows = out.map((r) => {
    const cell = (key) => (r.wrong.includes(key) ? 'WRONG' : f(r.medianMs[key]));
    return [r.case, String(r.itemsets), f(r.medianMs.readTransactions), cell('fpGrowthTable'), cell('aprioriTable'), cell('node-fpgrowth'), f(r.ratios.nodeFpgrowthOverFpGrowthTable)];
  });
  console.log(markdownTable(['case', 'itemsets', 'readTransactions', 'fpGrowthTable', 'aprioriTable', 'node-fpgrowth', 'node-fpg/ours'], rows));
  return out;
}
