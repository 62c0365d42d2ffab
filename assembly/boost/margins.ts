// Margin updates of the boosting loop: a grown tree's leaf values added to the training rows'
// margins (float32 adds, as XGBoost's prediction cache does), straight from the grower's
// node-ordered row ids.

/**
 * For each leaf j < nLeaves: `margin[rows[i]·groups + cls] += values[j]` (f32) for positions i in
 * [ranges[2j], ranges[2j + 1]) (i32 pairs); `rows` are u32 row ids.
 */
export function boost_add_leaf_values(rows: usize, ranges: usize, values: usize, nLeaves: i32, margin: usize, groups: i32, cls: i32): void {
  for (let j = 0; j < nLeaves; j++) {
    let v = load<f32>(values + (<usize>j << 2));
    let to = load<i32>(ranges + (<usize>j << 3) + 4);
    for (let i = load<i32>(ranges + (<usize>j << 3)); i < to; i++) {
      let at = margin + ((<usize>load<u32>(rows + (<usize>i << 2)) * <usize>groups + <usize>cls) << 2);
      store<f32>(at, load<f32>(at) + v);
    }
  }
}
