/**
 * The seeded synthetic binary set of bench:boost (28 features, like HIGGS): 1,000,000 training
 * rows and 100,000 test rows from one distribution; the smaller synthetic cases use the first
 * rows of the same training set.
 *
 * Features: x0 … x19 standard normal; x20 … x27 noisy copies 0.6·x(j−20) + 0.8·N(0, 1), so that
 * correlated columns compete for the same splits. Label: Bernoulli(σ(z)) with
 *   z = 0.9 x0 − 0.7 x1 + 0.6 x2·x3 + 0.8 sin(2 x4) + 0.7 [x5 > 0.5] − 0.35 x6² + 0.5 x7 [x8 > 0]
 *       + 0.3 |x9| − 0.1,
 * linear terms, interactions, a step and curvature, so depth-6 trees have structure to find and
 * the Bayes AUC stays well below 1 (noise features x10 … x19 carry nothing). Then every cell is
 * missing (NaN) with probability 5%, independently of everything else; the label is drawn from
 * the complete row.
 * Deterministic for a seed: sfc32 (Doug's Small Fast Counter) and Box–Muller; numpy-compatible
 * draws are not needed and NumpyRandom's BigInt steps would make 31M draws slow.
 */
import { sfc32 } from '../common/random.mjs';

const SYNTHETIC_COLS = 28;
export const SYNTHETIC_TRAIN = 1_000_000;
const SYNTHETIC_TEST = 100_000;
const MISSING = 0.05;

/** Standard normals, two per Box–Muller step. */
function normals(random) {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const theta = 2 * Math.PI * random();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

function margin(x) {
  return 0.9 * x[0] - 0.7 * x[1] + 0.6 * x[2] * x[3] + 0.8 * Math.sin(2 * x[4]) + (x[5] > 0.5 ? 0.7 : 0) - 0.35 * x[6] * x[6]
    + (x[8] > 0 ? 0.5 * x[7] : 0) + 0.3 * Math.abs(x[9]) - 0.1;
}

function rows(n, random, normal) {
  const cols = SYNTHETIC_COLS;
  const x = new Float32Array(n * cols);
  const y = new Float32Array(n);
  const row = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 20; j++) row[j] = normal();
    for (let j = 20; j < cols; j++) row[j] = 0.6 * row[j - 20] + 0.8 * normal();
    y[i] = random() < 1 / (1 + Math.exp(-margin(row))) ? 1 : 0;
    for (let j = 0; j < cols; j++) x[i * cols + j] = random() < MISSING ? NaN : row[j];
  }
  return { x, y };
}

/** The whole synthetic set for `seed`, in case-file form (case-file.mjs). */
export function synthesize(seed) {
  const random = sfc32(seed);
  const normal = normals(random);
  const train = rows(SYNTHETIC_TRAIN, random, normal);
  const test = rows(SYNTHETIC_TEST, random, normal);
  return { task: 'binary', numClass: 2, cols: SYNTHETIC_COLS, xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
}
