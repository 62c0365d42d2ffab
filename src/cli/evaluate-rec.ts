/**
 * `grove evaluate-rec`: top-N evaluation of a recommender as in
 * ../shared/data/movielens/EVAL-PROTOCOL.md: split → train interactions → the top N of every user
 * with a test row → ranking metrics, the catalogue being the items seen in training.
 */
import { Interactions, type Id } from '../cf/interactions.js';
import type { RatingColumns } from '../io/ratings.js';
import { rankingMetrics } from '../metrics/ranking.js';
import { leaveLastOut, randomHoldout } from '../metrics/split.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { choice, parseCommand } from './args.js';
import { MODEL_HELP, MODEL_OPTIONS, RATINGS_HELP, describeModel, fitModel, integerFlag, loadRatings, modelFlags } from './ratings-input.js';

const COMMAND = 'evaluate-rec';
const OPTIONS = { ...MODEL_OPTIONS, split: { type: 'string' }, seed: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' } } as const;
type Split = 'random' | 'loo';

export const EVALUATE_REC_HELP = `Usage: grove evaluate-rec RATINGS [options]
       grove evaluate-rec --train FILE --test FILE [options]

Splits RATINGS into train and test rows, fits a recommender on train, recommends the top N
unseen items to every user with a test row, and reports P, R, MAP, MRR, NDCG and HR at N
(averaged over those users) and catalogue coverage (distinct items recommended / items
with a training row). Protocol: ../shared/data/movielens/EVAL-PROTOCOL.md.

Input
  RATINGS               ratings file, one (user, item, score[, time]) per row
${RATINGS_HELP}
  --split S             random (default: 20% of each user's rows, users with one row stay
                        in train) | loo (each user's latest row; needs a time column)
  --seed N              random split seed (default 42; numpy's default_rng(N))
  --train FILE          instead of RATINGS and --split: train rows, tab-separated
  --test FILE           "user item value" (the test file's values are not used)

${MODEL_HELP}

Output
  --format F            text (default: a table) | json (one object: precision, recall, map,
                        mapSeed, mrr, ndcg, hitRate, coverage)
  -h, --help            show this help
MAP normalises each user's AP by min(|test items|, N); mapSeed by |test items|.

Example: grove evaluate-rec u.data --method user --k 50 --format json
`;

export async function evaluateRec(argv: string[]): Promise<void> {
  const { values, file } = parseCommand(COMMAND, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(EVALUATE_REC_HELP);
    return;
  }
  const flags = modelFlags(COMMAND, values);
  const format = choice(COMMAND, 'format', values.format, ['text', 'json'], 'text');
  const explicit = values.train !== undefined || values.test !== undefined;
  let train: RatingColumns;
  let test: RatingColumns;
  let splitName: string;
  if (explicit) {
    if (values.train === undefined || values.test === undefined) throw new GroveArgumentError(`${COMMAND}: --train and --test go together`);
    if (file !== undefined) throw new GroveArgumentError(`${COMMAND}: give either RATINGS or --train and --test, not both`);
    if (values.split !== undefined || values.seed !== undefined) throw new GroveArgumentError(`${COMMAND}: --split and --seed apply to RATINGS, not to --train/--test`);
    if (values['input-format'] !== undefined) throw new GroveArgumentError(`${COMMAND}: --train and --test are tab-separated; --input-format applies to RATINGS`);
    train = await loadRatings(COMMAND, values.train as string, values, 'tsv');
    test = await loadRatings(COMMAND, values.test as string, values, 'tsv');
    splitName = 'given train/test';
  } else {
    if (file === undefined) throw new GroveArgumentError(`${COMMAND}: missing RATINGS file (see grove ${COMMAND} --help)`);
    const split = choice<Split>(COMMAND, 'split', values.split, ['random', 'loo'], 'random');
    const seed = integerFlag(COMMAND, 'seed', values.seed, 0, 42);
    if (split === 'loo' && values.seed !== undefined) throw new GroveArgumentError(`${COMMAND}: --seed applies to --split random only`);
    const all = await loadRatings(COMMAND, file, values);
    if (split === 'loo' && !all.times) throw new GroveArgumentError(`${COMMAND}: --split loo needs a time column, and ${file} has none`);
    const mask = split === 'random' ? randomHoldout(all, { seed }) : leaveLastOut(all);
    train = pick(all, mask, 0);
    test = pick(all, mask, 1);
    splitName = split === 'random' ? `random split, seed ${seed}` : 'leave-last-out split';
  }
  if (train.users.length === 0) throw new GroveArgumentError(`${COMMAND}: no training rows`);
  if (test.users.length === 0) throw new GroveArgumentError(`${COMMAND}: no test rows`);

  const data = Interactions.fromColumns({ users: train.users, items: train.items, scores: train.scores }, { weighting: flags.binarize ? 'binarize' : 'raw' });
  const truth = new Map<Id, Id[]>();
  test.users.forEach((user, r) => (truth.get(user) ?? truth.set(user, []).get(user)!).push(test.items[r]));
  // users without training rows get no list: they count as misses
  const users = [...truth.keys()].filter((user) => data.userIndex(user) >= 0);
  const recs = fitModel(flags, data).recommendAll(flags.n, users.map((user) => data.userIndex(user)));
  const lists = new Map(users.map((user, i) => [user, recs[i].map((r) => r.item)]));
  const m = rankingMetrics(lists, truth, { k: flags.n, catalogSize: data.nItems });
  const result = { precision: m.precision, recall: m.recall, map: m.map, mapSeed: m.mapSeed, mrr: m.mrr, ndcg: m.ndcg, hitRate: m.hitRate, coverage: m.coverage! };
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const n = flags.n;
  const rows: Array<[string, number]> = [
    [`P@${n}`, result.precision], [`R@${n}`, result.recall], [`MAP@${n}`, result.map], [`MRR@${n}`, result.mrr],
    [`NDCG@${n}`, result.ndcg], [`HR@${n}`, result.hitRate], ['coverage', result.coverage],
  ];
  const head = `${describeModel(flags)}; ${splitName}; ${m.users} users evaluated, ${data.nItems} items in training\n`;
  process.stdout.write(head + rows.map(([name, value]) => `${name.padEnd(10)}${value.toFixed(4)}\n`).join(''));
}

/** The rows whose mask entry equals `keep`. */
function pick(all: RatingColumns, mask: Uint8Array, keep: 0 | 1): RatingColumns {
  const rows: number[] = [];
  for (let r = 0; r < mask.length; r++) if (mask[r] === keep) rows.push(r);
  return { users: rows.map((r) => all.users[r]), items: rows.map((r) => all.items[r]), scores: Float64Array.from(rows, (r) => all.scores[r]) };
}
