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
