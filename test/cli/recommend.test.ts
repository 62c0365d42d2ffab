/**
 * `grove recommend` and `grove evaluate-rec` end to end (spawns `node bin/grove.js` against the
 * built dist/): a small ratings file worked out by hand, and the ML-100K item-KNN figures of
 * ../shared/data/movielens/EVAL-PROTOCOL.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { sharedDir } from '../helpers/shared.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'grove-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function grove(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, 'bin/grove.js'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// user item rating time. Item columns over users 1..4: 10 = (5,4,1,0), 20 = (3,0,0,2),
// 30 = (0,2,5,0), 40 = (0,0,0,4); users per item: 10 → 3, 20 → 2, 30 → 2, 40 → 1.
const RATINGS = '1\t10\t5\t100\n1\t20\t3\t101\n2\t10\t4\t102\n2\t30\t2\t103\n3\t10\t1\t104\n3\t30\t5\t105\n4\t20\t2\t106\n4\t40\t4\t107\n';

describe('grove recommend', () => {
  const ratings = file('ratings.tsv', RATINGS);

  test('pop: most popular unseen items, the 20–30 tie to the item seen first', () => {
    expect(grove(['recommend', ratings, '--user', '1', '--method', 'pop'])).toEqual({ status: 0, stdout: '30\t2\n40\t1\n', stderr: '' });
    expect(grove(['recommend', ratings, '--user', '4', '--method', 'pop', '-n', '1']).stdout).toBe('10\t3\n');
    expect(JSON.parse(grove(['recommend', ratings, '--user', '2', '--method', 'pop', '--format', 'json']).stdout)).toEqual([{ item: 20, score: 2 }, { item: 40, score: 1 }]);
  });

  test('item-KNN: user 4 (20 rated 2, 40 rated 4) gets 10 with 2·cos(20, 10); 30 scores 0', () => {
    const run = grove(['recommend', ratings, '--user', '4', '--format', 'json']);
    expect(run.status).toBe(0);
    const recs = JSON.parse(run.stdout) as Array<{ item: number; score: number }>;
    expect(recs.map((r) => r.item)).toEqual([10]);
    expect(recs[0].score).toBeCloseTo((2 * 15) / Math.sqrt(42 * 13), 5);
  });

  test('--similarity jaccard: user 4 gets 10 with 2·J(20, 10) = 2·|{1}|/|{1,2,3,4}|', () => {
    expect(grove(['recommend', ratings, '--user', '4', '--similarity', 'jaccard'])).toEqual({ status: 0, stdout: '10\t0.5\n', stderr: '' });
    // shrinkage 1 with co-count 1 halves it
    expect(grove(['recommend', ratings, '--user', '4', '--similarity', 'jaccard', '--shrinkage', '1']).stdout).toBe('10\t0.25\n');
  });

  test('user-KNN runs and never recommends a seen item', () => {
    const run = grove(['recommend', ratings, '--user', '1', '--method', 'user', '--k', '2']);
    expect(run.status).toBe(0);
    const items = run.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    for (const item of items) expect(['30', '40']).toContain(item);
  });

  // Every user has 2 rows: below the default --min-history 5 all get popularity, from 2 on item-KNN.
  test('hybrid: popularity below --min-history rows, item-KNN from there', () => {
    expect(grove(['recommend', ratings, '--user', '1', '--method', 'hybrid'])).toEqual(grove(['recommend', ratings, '--user', '1', '--method', 'pop']));
    expect(grove(['recommend', ratings, '--user', '1', '--method', 'hybrid']).stdout).toBe('30\t2\n40\t1\n');
    const knn = grove(['recommend', ratings, '--user', '4', '--method', 'hybrid', '--min-history', '2', '--format', 'json']);
    expect(knn.status).toBe(0);
    expect(knn.stdout).toBe(grove(['recommend', ratings, '--user', '4', '--format', 'json']).stdout);
    expect(JSON.parse(knn.stdout)[0].score).toBeCloseTo((2 * 15) / Math.sqrt(42 * 13), 5);
  });

  test('hybrid: a user absent from RATINGS gets the most popular items and a note on stderr', () => {
    const run = grove(['recommend', ratings, '--user', '9', '--method', 'hybrid', '-n', '3']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('10\t3\n20\t2\n30\t2\n');
    expect(run.stderr).toMatch(/^grove: recommend: user "9" has no rows in .*ratings\.tsv: recommending the most popular items\n$/);
  });

  test('errors: exit 2 with one line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['recommend', ratings, '--user', '9'], /unknown user "9"/],
      [['recommend', ratings, '--user', '1', '--min-history', '3'], /--min-history applies to --method hybrid only/],
      [['recommend', ratings, '--user', '1', '--method', 'hybrid', '--min-history', '0'], /--min-history must be an integer ≥ 1/],
      [['recommend', ratings], /--user ID is required/],
      [['recommend', '--user', '1'], /missing RATINGS/],
      [['recommend', ratings, '--user', '1', '--method', 'pop', '--k', '5'], /--k applies to --method item, user and hybrid only/],
      [['recommend', ratings, '--user', '1', '-n', '0'], /--top must be an integer ≥ 1/],
      [['recommend', ratings, '--user', '1', '--similarity', 'dice'], /--similarity must be one of cosine, adjustedCosine, pearson, jaccard/],
      [['recommend', ratings, '--user', '1', '--shrinkage=-2'], /--shrinkage must be a number ≥ 0/],
      [['recommend', ratings, '--user', '1', '--method', 'pop', '--similarity', 'jaccard'], /--similarity applies to --method item, user and hybrid only/],
      [['recommend', ratings, '--user', '1', '--method', 'svd'], /--method must be one of item, user, pop/],
      [['recommend', ratings, '--user', '1', '--bogus'], /unknown option --bogus/],
      [['recommend', join(dir, 'absent.tsv'), '--user', '1'], /no such file/],
    ];
    for (const [args, message] of cases) {
      const run = grove(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  test('--help lists every flag', () => {
    const run = grove(['recommend', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: grove recommend RATINGS --user ID/);
    for (const flag of ['--user', '--input-format', '--method', '--k', '--similarity', '--shrinkage', '--min-history', '--binarize', '-n, --top', '--format', '--help']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('| hybrid (pop for users with');
  });
});

describe('grove evaluate-rec', () => {
  const ratings = file('ratings.tsv', RATINGS);

  // loo: test rows are each user's latest: 1→20, 2→30, 3→30, 4→40; train 1→10, 2→10, 3→10,
  // 4→20, so popularity 10: 3, 20: 1. Lists: users 1–3 get [20], user 4 gets [10]; only user 1
  // hits, at rank 1. Both train items are recommended: coverage 1.
  test('loo / pop, hand-worked', () => {
    const run = grove(['evaluate-rec', ratings, '--split', 'loo', '--method', 'pop', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ precision: 0.025, recall: 0.25, map: 0.25, mapSeed: 0.25, mrr: 0.25, ndcg: 0.25, hitRate: 0.25, coverage: 1 });
    const one = JSON.parse(grove(['evaluate-rec', ratings, '--split', 'loo', '--method', 'pop', '-n', '1', '--format', 'json']).stdout);
    expect(one.precision).toBe(0.25);
    const text = grove(['evaluate-rec', ratings, '--split', 'loo', '--method', 'pop']);
    expect(text.stdout).toContain('popularity; leave-last-out split; 4 users evaluated, 2 items in training\n');
    expect(text.stdout).toContain('P@10      0.0250\n');
    expect(text.stdout).toContain('coverage  1.0000\n');
  });

  // Each user has one training row: below the default --min-history 5, hybrid is popularity.
  test('loo / hybrid equals loo / pop here', () => {
    const hybrid = grove(['evaluate-rec', ratings, '--split', 'loo', '--method', 'hybrid']);
    expect(hybrid.status).toBe(0);
    expect(hybrid.stdout).toContain('hybrid: popularity below 5 training rows, else item-KNN, K = 20, cosine; leave-last-out split; 4 users evaluated');
    const pop = grove(['evaluate-rec', ratings, '--split', 'loo', '--method', 'pop']).stdout;
    expect(hybrid.stdout.split('\n').slice(1)).toEqual(pop.split('\n').slice(1));
  });

  // popularity 10: 2, 20: 1, 30: 1. User 2 (seen 10) gets [20, 30], user 3 (seen 30) [10, 20]:
  // both hit at rank 1; user 5 has no training row and counts as a miss.
  test('--train / --test, hand-worked', () => {
    const train = file('train.tsv', '1\t10\t1\n1\t20\t1\n2\t10\t1\n3\t30\t1\n');
    const test = file('test.tsv', '2\t20\t1\n3\t10\t1\n5\t10\t1\n');
    const run = grove(['evaluate-rec', '--train', train, '--test', test, '--method', 'pop', '-n', '2', '--format', 'json']);
    expect(run.status).toBe(0);
    const m = JSON.parse(run.stdout);
    const expected = { precision: 1 / 3, recall: 2 / 3, map: 2 / 3, mapSeed: 2 / 3, mrr: 2 / 3, ndcg: 2 / 3, hitRate: 2 / 3, coverage: 1 };
    for (const [name, value] of Object.entries(expected)) expect(m[name], name).toBeCloseTo(value, 12);
  });

  test('errors: exit 2 with one line', () => {
    const noTime = file('notime.tsv', '1\t10\t5\n1\t20\t3\n2\t10\t4\n');
    const cases: Array<[string[], RegExp]> = [
      [['evaluate-rec', noTime, '--split', 'loo'], /--split loo needs a time column/],
      [['evaluate-rec', '--train', ratings], /--train and --test go together/],
      [['evaluate-rec', ratings, '--train', ratings, '--test', ratings], /either RATINGS or --train and --test/],
      [['evaluate-rec'], /missing RATINGS/],
      [['evaluate-rec', ratings, '--split', 'kfold'], /--split must be one of random, loo/],
      [['evaluate-rec', ratings, '--seed=-1'], /--seed must be an integer ≥ 0/],
      [['evaluate-rec', ratings, '--k', '2.5'], /--k must be an integer ≥ 1/],
      [['evaluate-rec', ratings, '--format', 'csv'], /--format must be one of text, json/],
    ];
    for (const [args, message] of cases) {
      const run = grove(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  test('--help, and both commands in grove --help', () => {
    const help = grove(['evaluate-rec', '-h']).stdout;
    expect(help).toMatch(/^Usage: grove evaluate-rec RATINGS/);
    for (const flag of ['--split', '--seed', '--train', '--test', '--input-format', '--method', '--k', '--binarize', '-n, --top', '--format', '--help']) expect(help).toContain(flag);
    const main = grove(['--help']).stdout;
    expect(main).toMatch(/\n {2}recommend {7}/);
    expect(main).toMatch(/\n {2}evaluate-rec {4}/);
  });
});

const movielens = sharedDir('data/movielens/ml-100k');

describe(`grove evaluate-rec on ML-100K${movielens.skipReason}`, () => {
  test.skipIf(!movielens.present)("random / item-KNN K = 20 equals EVAL-PROTOCOL's row within 1%", () => {
    const run = grove(['evaluate-rec', `${movielens.path}/u.data`, '--method', 'item', '--k', '20', '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const m = JSON.parse(run.stdout);
    const expected = { precision: 0.3108, recall: 0.1989, map: 0.2354, mrr: 0.6117, ndcg: 0.3697, hitRate: 0.9014, coverage: 0.1342 };
    for (const [name, value] of Object.entries(expected)) expect(Math.abs(m[name] - value) / value, `${name}: ${m[name]}`).toBeLessThan(0.01);
  });
});
