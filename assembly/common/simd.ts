// SIMD helpers over raw i32 arrays in linear memory.

/** Length of the common prefix of the i32 sequences at `a` and `b`, compared up to `n` items. */
export function commonPrefixI32(a: usize, b: usize, n: i32): i32 {
  let i = 0;
  // four lanes at a time; the first differing lane ends the prefix
  while (i + 4 <= n) {
    let eq = i32x4.eq(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)));
    let mask = i32x4.bitmask(eq);
    if (mask != 0xf) return i + <i32>ctz<u32>(~mask);
    i += 4;
  }
  while (i < n && load<i32>(a + (<usize>i << 2)) == load<i32>(b + (<usize>i << 2))) i++;
  return i;
}
