#!/usr/bin/env node
/**
 * One run of ours for bench.mjs, on the built package (`grove-ml` resolves to this repository's
 * dist/ through package.json `exports`):
 *   node run-grove.mjs TRIPLES K N [LISTS]
 * Times, each on its own: build (Interactions.fromColumns: CSR and transpose), fit
 * (ItemKnnRecommender, cosine, K neighbours) and top-N for all users (recommendAll(N), the
 * Recommendation objects included). Prints one JSON line { buildS, fitS, topS, nUsers, nItems,
 * nnz, maxRssKiB }. With LISTS, after timing, writes every user's list for the agreement check
 * (lists.mjs layout).
 */
import { ItemKnnRecommender, Interactions } from 'grove-ml';
import { writeLists } from './lists.mjs';
import { readTriples } from './triples.mjs';

const [file, kArg, nArg, listsOut] = process.argv.slice(2);
const k = Number(kArg);
const n = Number(nArg);
if (!file || !(k >= 1) || !(n >= 1)) {
  process.stderr.write('usage: node run-grove.mjs TRIPLES K N [LISTS]\n');
  process.exit(2);
}

const { users, items, scores, nUsers } = readTriples(file);
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;

let t = process.hrtime.bigint();
const data = Interactions.fromColumns({ users, items, scores });
const buildS = seconds(t);

t = process.hrtime.bigint();
const model = new ItemKnnRecommender({ k }).fit(data);
const fitS = seconds(t);

t = process.hrtime.bigint();
const recs = model.recommendAll(n);
const topS = seconds(t);

if (listsOut) writeLists(listsOut, nUsers, n, (put) => recs.forEach((list, u) => put(data.userId(u), list)));
const { maxRSS } = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ buildS, fitS, topS, nUsers: data.nUsers, nItems: data.nItems, nnz: data.nnz, maxRssKiB: maxRSS })}\n`);
