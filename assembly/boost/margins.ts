// Margin updates of the boosting loop: a grown tree's leaf values added to the training rows'
// margins (float32 adds, as XGBoost's prediction cache does), straight from the grower's
// node-ordered row ids (hist, approx) or from each row's leaf code (exact).

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

/**
 * For each row r < n with `codes[r]` ≤ −2 (i32; it ended in grown node −2 − code):
 * `margin[r·groups + cls] += values[−2 − codes[r]]` (f32). Rows with a code > −2 are left as they are.
 */
export function boost_add_code_values(codes: usize, n: i32, values: usize, margin: usize, groups: i32, cls: i32): void {
  for (let r = 0; r < n; r++) {
    let code = load<i32>(codes + (<usize>r << 2));
    if (code > -2) continue;
    let at = margin + ((<usize>r * <usize>groups + <usize>cls) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(values + (<usize>(-2 - code) << 2)));
  }
}
