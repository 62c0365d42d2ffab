#!/usr/bin/env node
/**
 * One run of the JS peer `collaborative-filter` (npm, 1.0.0-beta.3) for bench.mjs:
 *   node run-collaborative-filter.mjs PEER_DIR TRIPLES N
 * PEER_DIR holds its node_modules (bench.mjs installs it there, outside the repository).
 *
 * What it computes (lib/cf_api.js): from a dense users × items array of 0/1 ("liked"), an
 * items × items matrix co(i, j) / (1 + #users with i or j) (a Jaccard-like normalised
 * co-occurrence, dense, no top-K), then for one user the mean of that matrix's rows over the
 * user's items, every non-zero item ranked, seen items removed. So it is item-based scoring, but
 * with its own similarity on binarised ratings; the lists are not comparable with ours, the work
 * is: build (the dense 0/1 array), fit (`coMatrix`), top-N for all users (`getRecommendations`
 * for each user, first N kept). Prints one JSON line like run-grove.mjs.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readTriples } from './triples.mjs';

const [peerDir, file, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!peerDir || !file || !(n >= 1)) {
  process.stderr.write('usage: node run-collaborative-filter.mjs PEER_DIR TRIPLES N\n');
  process.exit(2);
}
const cf = createRequire(join(peerDir, 'package.json'))('collaborative-filter');

const { users, items, scores, nUsers, nItems } = readTriples(file);
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;

let t = process.hrtime.bigint();
const ratings = Array.from({ length: nUsers }, () => new Array(nItems).fill(0));
for (let r = 0; r < users.length; r++) if (scores[r] > 0) ratings[users[r]][items[r]] = 1;
const buildS = seconds(t);

t = process.hrtime.bigint();
const co = cf.coMatrix(ratings);
const fitS = seconds(t);

t = process.hrtime.bigint();
let listed = 0;
for (let u = 0; u < nUsers; u++) listed += cf.getRecommendations(ratings, co, u).slice(0, n).length;
const topS = seconds(t);

const { maxRSS } = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ buildS, fitS, topS, nUsers, nItems, nnz: users.length, listed, maxRssKiB: maxRSS })}\n`);
