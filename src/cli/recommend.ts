/** `grove recommend`: the top N unseen items of one user of a ratings file. */
import { Interactions } from '../cf/interactions.js';
import { GroveArgumentError } from '../runtime/errors.js';
import { choice, parseCommand } from './args.js';
import { MODEL_HELP, MODEL_OPTIONS, RATINGS_HELP, fitModel, idLike, loadRatings, modelFlags } from './ratings-input.js';

const COMMAND = 'recommend';
const OPTIONS = { ...MODEL_OPTIONS, user: { type: 'string' } } as const;

export const RECOMMEND_HELP = `Usage: grove recommend RATINGS --user ID [options]

Fits a recommender on every row of RATINGS and prints the top N items user ID has not
rated, best first, one "item<TAB>score" per line.

Input
  RATINGS               ratings file, one (user, item, score[, time]) per row
${RATINGS_HELP}
  --user ID             required: the user, as written in RATINGS

${MODEL_HELP}

Output
  --format F            text (default) | json (an array of {"item", "score"}; ids are
                        numbers when every id of the file is an integer)
  -h, --help            show this help

Example: grove recommend u.data --user 196 --method item --k 20 -n 5
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
  if (u < 0) throw new GroveArgumentError(`${COMMAND}: unknown user ${JSON.stringify(values.user)}: ${file} has no rows for it`);
  const [recs] = fitModel(flags, data).recommendAll(flags.n, [u]);
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
