// What the tree kernels share: XGBoost's CalcGain with L1 `alpha`, and loads and stores by index.

@inline export function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline export function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
@inline export function ldd(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline export function std(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

/**
 * The structure score T_α(G)²/(H + λ), T_α the L1 soft threshold (twice the objective
 * reduction); 0 for a side without hessian, as XGBoost's CalcGain.
 */
@inline export function score(g: f64, h: f64, lambda: f64, alpha: f64): f64 {
  if (!(h > 0)) return 0;
  let t = g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
  return (t * t) / (h + lambda);
}

// The same scores two at a time (f64x2, lane by lane the arithmetic of `score`): the split
// scans of exact.ts and histogram.ts score both sides of a split with one division.

/** `score` lane by lane (T_α(g)²/(h + λ), 0 where h ≤ 0); `l1` = (α ≠ 0), `lam`, `alp` splats. */
@inline export function scores(g: v128, h: v128, lam: v128, alp: v128, l1: bool): v128 {
  let zero = f64x2.splat(0);
  let t = l1 ? v128.bitselect(f64x2.sub(g, alp), v128.bitselect(f64x2.add(g, alp), zero, f64x2.lt(g, f64x2.neg(alp))), f64x2.gt(g, alp)) : g;
  return v128.and(f64x2.div(f64x2.mul(t, t), f64x2.add(h, lam)), f64x2.gt(h, zero));
}

/**
 * The gain of the split with left sums `L` = (G_L, H_L) of a node with totals `T` = (G, H) and
 * score ps: score(L) + score(T − L) − ps; −∞ if a side's hessian is under `minH` (min_child_weight, splat).
 */
@inline export function splitGain(L: v128, T: v128, ps: f64, lam: v128, alp: v128, l1: bool, minH: v128): f64 {
  let R = f64x2.sub(T, L);
  let h = v128.shuffle<f64>(L, R, 1, 3);
  if (!i64x2.all_true(f64x2.ge(h, minH))) return -Infinity;
  let s = scores(v128.shuffle<f64>(L, R, 0, 2), h, lam, alp, l1);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) - ps;
}

/**
 * splitGain of two splits at once, lane i of the answer with left sums `L0` (i = 0) or `L1`
 * (i = 1): a node's split with its missing rows right and left.
 */
@inline export function bothGains(L0: v128, L1: v128, T: v128, ps: f64, lam: v128, alp: v128, l1: bool, minH: v128): v128 {
  let R0 = f64x2.sub(T, L0);
  let R1 = f64x2.sub(T, L1);
  let HL = v128.shuffle<f64>(L0, L1, 1, 3);
  let HR = v128.shuffle<f64>(R0, R1, 1, 3);
  let left = scores(v128.shuffle<f64>(L0, L1, 0, 2), HL, lam, alp, l1);
  let gains = f64x2.sub(f64x2.add(left, scores(v128.shuffle<f64>(R0, R1, 0, 2), HR, lam, alp, l1)), f64x2.splat(ps));
  return v128.bitselect(gains, f64x2.splat(-Infinity), v128.and(f64x2.ge(HL, minH), f64x2.ge(HR, minH)));
}

/** (x, y) as an f64x2. */
@inline export function pair(x: f64, y: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(x), 1, y);
}
