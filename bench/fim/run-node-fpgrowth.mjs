#!/usr/bin/env node
/**
 * One whole-process run of node-fpgrowth (the JS peer) for bench.mjs:
 *   node run-node-fpgrowth.mjs FILE MIN_COUNT OUT
 * reads a FIMI file, mines every itemset with count ≥ MIN_COUNT and writes them as SPMF lines
 * (`1 2 3 #SUP: 45`, items ascending), so its output is checked like ours.
 *
 * node-fpgrowth takes a fraction s and keeps items with count ≥ ceil(s · nTx) (fpgrowth.js
 * `exec`, fptree.js filter). s = (MIN_COUNT − ½) / nTx puts s · nTx half-way between two
 * integers, so rounding error cannot move the ceiling off MIN_COUNT.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { FPGrowth } from 'node-fpgrowth';

const [file, minCountArg, out] = process.argv.slice(2);
const minCount = Number(minCountArg);
if (!file || !out || !Number.isInteger(minCount) || minCount < 1) {
  process.stderr.write('usage: node run-node-fpgrowth.mjs FILE MIN_COUNT OUT\n');
  process.exit(2);
}

const lines = readFileSync(file, 'latin1').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const transactions = lines.map((line) => line.split(' ').filter((t) => t !== '').map(Number));

new FPGrowth((minCount - 0.5) / transactions.length).exec(transactions).then(writeSpmf);

function writeSpmf(itemsets) {
  const fd = openSync(out, 'w');
  let buf = '';
  for (const { items, support } of itemsets) {
    buf += `${items.slice().sort((a, b) => a - b).join(' ')} #SUP: ${support}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}
