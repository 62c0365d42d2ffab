// Gradient pairs of the boosting objectives (XGBoost 1.7's formulas; src/boost/objective.ts has
// the contract): one pass over the rows per round, all output groups at once.

@inline const SQUARED: i32 = 0;
@inline const LOGISTIC: i32 = 1;
@inline const EPS: f32 = 1e-16;

/**
 * For rows r < n with margins `margin[r·groups + k]`, labels `y[r]` and weights `w[r]` (all f32):
 * group k's pair for row r goes to `out + 8·(k·n + r)` (f32 g, h). kind 0: squared error; 1:
 * logistic; 2: softmax over the row's groups (y = class index).
 */
export function boost_gradients(kind: i32, margin: usize, y: usize, w: usize, n: i32, groups: i32, out: usize): void {
  // a loop per kind: one loop testing the kind per row kept its values on the stack
  if (kind == SQUARED) squared(margin, y, w, n, groups, out);
  else if (kind == LOGISTIC) logistic(margin, y, w, n, groups, out);
  else softmax(margin, y, w, n, groups, out);
}

function squared(margin: usize, y: usize, w: usize, n: i32, groups: i32, out: usize): void {
  for (let r = 0; r < n; r++) {
    let wr = load<f32>(w + (<usize>r << 2));
    let at = out + (<usize>r << 3);
    store<f32>(at, (load<f32>(margin + ((<usize>r * <usize>groups) << 2)) - load<f32>(y + (<usize>r << 2))) * wr);
    store<f32>(at, wr, 4);
  }
}

function logistic(margin: usize, y: usize, w: usize, n: i32, groups: i32, out: usize): void {
  for (let r = 0; r < n; r++) {
    let wr = load<f32>(w + (<usize>r << 2));
    let at = out + (<usize>r << 3);
    let p: f32 = <f32>1 / (<f32>1 + Mathf.exp(-load<f32>(margin + ((<usize>r * <usize>groups) << 2))));
    store<f32>(at, (p - load<f32>(y + (<usize>r << 2))) * wr);
    store<f32>(at, max<f32>(p * (<f32>1 - p), EPS) * wr, 4);
  }
}

function softmax(margin: usize, y: usize, w: usize, n: i32, groups: i32, out: usize): void {
  let stride = <usize>n << 3;
  for (let r = 0; r < n; r++) {
    let wr = load<f32>(w + (<usize>r << 2));
    let yr = load<f32>(y + (<usize>r << 2));
    let m = margin + ((<usize>r * <usize>groups) << 2);
    let at = out + (<usize>r << 3);
    let top = load<f32>(m);
    for (let k = 1; k < groups; k++) top = max<f32>(top, load<f32>(m + (<usize>k << 2)));
    // each exp once, parked in its g slot until the sum is known
    let sum: f32 = 0;
    for (let k = 0; k < groups; k++) {
      let e = Mathf.exp(load<f32>(m + (<usize>k << 2)) - top);
      store<f32>(at + <usize>k * stride, e);
      sum += e;
    }
    for (let k = 0; k < groups; k++) {
      let p: f32 = load<f32>(at + <usize>k * stride) / sum;
      let g = p - (<i32>yr == k ? <f32>1 : <f32>0);
      let pair = at + <usize>k * stride;
      store<f32>(pair, g * wr);
      store<f32>(pair + 4, max<f32>(<f32>2 * p * (<f32>1 - p), EPS) * wr);
    }
  }
}
