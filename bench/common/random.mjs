/**
 * sfc32 (Doug's Small Fast Counter), the seeded generator of the benches' synthetic data: fast,
 * and the same stream for a seed on every run (numpy-compatible draws are not needed there, and
 * NumpyRandom's BigInt steps would make tens of millions of draws slow). Returns uniforms in [0, 1).
 */
export function sfc32(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}
