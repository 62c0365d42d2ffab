/**
 * `grove recommend`: the top N unseen items of one user of a ratings file. With --method hybrid
 * a user absent from the file is a new user: they get the most popular items, and a note on
 * stderr says so (other methods cannot serve them: an error).
 */
import { Interactions } from '../cf/interactions.js';
import type { Recommendation } from '../cf/knn.js';
import { PopularityRecommender } from '../cf/popularity.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { choice, parseCommand } from './args.js';
import { MODEL_HELP, MODEL_OPTIONS, RATINGS_HELP, fitModel, idLike, loadRatings, modelFlags } from './ratings-input.js';

const COMMAND = 'recommend';
const OPTIONS = { ...MODEL_OPTIONS, user: { type: 'string' } } as const;

export const RECOMMEND_HELP = `Usage: grove recommend RATINGS --user ID [options]

Fits a recommender on every row of RATINGS and prints the top N items user ID has not
rated, best first, one "item<TAB>score" per line. With --method hybrid, a user with no
rows in RATINGS gets the most popular items (and a note on stderr).

Input
  RATINGS               ratings file, one (user, item, score[, time]) per row
${RATINGS_HELP}
  --user ID             required: the user, as written in RATINGS

${MODEL_HELP}

Output
  --format F            text (default) | json (an array of {"item", "score"}; ids are
                        numbers when every id of the file is an integer)
  -h, --help            show this help

Examples: grove recommend u.data --user 196 --method item --k 20 -n 5
          grove recommend u.data --user 196 --method hybrid --min-history 10
`;

export async function recommend(argv: string[]): Promise<void> {
  const { values, file } = parseCommand(COMMAND, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(RECOMMEND_HELP);
    return;
  }
  if (file === undefined) throw new GroveArgumentError(`${COMMAND}: missing RATINGS file (see grove ${COMMAND} --help)`);
  if (typeof values.user !== 'string' || values.user === '') throw new GroveArgumentError(`${COMMAND}: --user ID is required`);
  const flags = modelFlags(COMMAND, values);
  const format = choice(COMMAND, 'format', values.format, ['text', 'json'], 'text');
  const ratings = await loadRatings(COMMAND, file, values);
  const data = Interactions.fromColumns({ users: ratings.users, items: ratings.items, scores: ratings.scores }, { weighting: flags.binarize ? 'binarize' : 'raw' });
  const u = data.userIndex(idLike(ratings.users, values.user));
  let recs: Recommendation[];
  if (u >= 0) [recs] = fitModel(flags, data).recommendAll(flags.n, [u]);
  else if (flags.method === 'hybrid') {
    process.stderr.write(`grove: ${COMMAND}: user ${JSON.stringify(values.user)} has no rows in ${file}: recommending the most popular items\n`);
    recs = new PopularityRecommender().fit(data).recommendNew(flags.n);
  } else throw new GroveArgumentError(`${COMMAND}: unknown user ${JSON.stringify(values.user)}: ${file} has no rows for it (--method hybrid serves new users)`);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(recs.map(({ item, score }) => ({ item, score: round(score) })))}\n`);
    return;
  }
  process.stdout.write(recs.map(({ item, score }) => `${item}\t${round(score)}\n`).join(''));
}

/** KNN scores are float32: 7 significant digits say all they hold. */
function round(score: number): number {
  return Number(score.toPrecision(7));
}
