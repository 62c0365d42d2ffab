// NumpyRandom against numpy itself. The expected values were printed by numpy 1.24.2 (Debian's
// python3-numpy) with:
//   for s in [42, 0, 2**40+7, 2**70+3]: print(s, np.random.default_rng(s).random(4).tolist())
//   a = np.random.default_rng(42).random(100000); print(repr(a[99999]), repr(float(a.sum())))
import { describe, expect, it } from 'vitest';
import { NumpyRandom, seedSequenceState } from '../../src/random/numpy.js';

const FIRST_FOUR: Array<[number | bigint, number[]]> = [
  [42, [0.7739560485559633, 0.4388784397520523, 0.8585979199113825, 0.6973680290593639]],
  [0, [0.6369616873214543, 0.2697867137638703, 0.04097352393619469, 0.016527635528529094]],
  [2 ** 40 + 7, [0.829812891829413, 0.25530515834910417, 0.15379071585298754, 0.6745045458676086]],
  [2n ** 70n + 3n, [0.4203871190878119, 0.2858736967365757, 0.10627311818295038, 0.2969252123735987]],
];

describe('NumpyRandom = numpy.random.default_rng', () => {
  it.each(FIRST_FOUR)('seed %s: the first draws are bit-identical', (seed, expected) => {
    expect(Array.from(new NumpyRandom(seed).randomArray(4))).toEqual(expected);
  });

  it('seed 42: the 100,000th draw and the sum of all 100,000 match', () => {
    const draws = new NumpyRandom(42).randomArray(100_000);
    expect(draws[99_999]).toBe(0.9308193444515586);
    // numpy sums pairwise, so the last bits of the total may differ from a running sum
    expect(draws.reduce((a, b) => a + b, 0)).toBeCloseTo(50062.49366621588, 8);
  });

  it('SeedSequence(42).generate_state(8) equals numpy (0xcd540ab7, 0x9f1e2e6d, …)', () => {
    expect(Array.from(seedSequenceState(42, 8))).toEqual(
      [0xcd540ab7, 0x9f1e2e6d, 0x79fb94b6, 0xd57873dc, 0x64d420b7, 0x7d282a1b, 0x4692d5ff, 0x33657971],
    );
  });

  it('refuses negative and non-integer seeds', () => {
    expect(() => new NumpyRandom(-1)).toThrow(/non-negative integer/);
    expect(() => new NumpyRandom(1.5)).toThrow(/non-negative integer/);
  });
});
