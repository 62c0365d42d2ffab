/**
 * NumPy's `default_rng(seed).random()` reproduced bit for bit, so evaluation protocols defined
 * with numpy (../shared/data/movielens/EVAL-PROTOCOL.md: one uniform key per row) give the same
 * splits here. Two parts, as in numpy ≥ 1.17:
 * - SeedSequence (O'Neill's seed_seq design as numpy implements it): the integer seed's 32-bit
 *   words are hash-mixed into a pool of 4 words, which generate_state expands;
 * - PCG64 (XSL-RR output of a 128-bit LCG), seeded from 4 generated 64-bit words;
 *   `random()` = (next 64-bit output >> 11) · 2^-53.
 * 128-bit arithmetic uses BigInt: about a microsecond per draw, fine for splitting datasets.
 */
import { GroveArgumentError } from '../runtime/errors.js';

const MASK32 = 0xffffffff;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const PCG_MULT = 0x2360ed051fc65da44385df649fccf645n;

/** The seed's 32-bit words, least significant first (0 → [0]). */
function seedWords(seed: bigint): number[] {
  const words: number[] = [];
  do {
    words.push(Number(seed & 0xffffffffn));
    seed >>= 32n;
  } while (seed > 0n);
  return words;
}

/** SeedSequence(seed).generate_state(nWords) as uint32 words. */
export function seedSequenceState(seed: number | bigint, nWords: number): Uint32Array {
  const entropy = seedWords(BigInt(seed));
  let hashA = INIT_A;
  const hashmix = (value: number): number => {
    value = (value ^ hashA) >>> 0;
    hashA = Math.imul(hashA, MULT_A) >>> 0;
    value = Math.imul(value, hashA) >>> 0;
    return (value ^ (value >>> XSHIFT)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> XSHIFT)) >>> 0;
  };
  const pool = new Uint32Array(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  let hashB = INIT_B;
  const state = new Uint32Array(nWords);
  for (let i = 0; i < nWords; i++) {
    let v = (pool[i % POOL_SIZE] ^ hashB) >>> 0;
    hashB = Math.imul(hashB, MULT_B) >>> 0;
    v = Math.imul(v, hashB) >>> 0;
    state[i] = (v ^ (v >>> XSHIFT)) & MASK32;
  }
  return state;
}

/** `numpy.random.default_rng(seed)`: a PCG64 generator whose `random()` matches numpy's. */
export class NumpyRandom {
  private state: bigint;
  private readonly inc: bigint;

  constructor(seed: number | bigint) {
    if (typeof seed === 'number' ? !Number.isSafeInteger(seed) || seed < 0 : seed < 0n) {
      throw new GroveArgumentError(`NumpyRandom: seed must be a non-negative integer. Got ${String(seed)}`);
    }
    // generate_state(4, uint64): word pairs (low, high) make each 64-bit value
    const w = seedSequenceState(seed, 8);
    const u64 = (i: number) => (BigInt(w[2 * i + 1]) << 32n) | BigInt(w[2 * i]);
    const initState = (u64(0) << 64n) | u64(1);
    const initSeq = (u64(2) << 64n) | u64(3);
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.state = 0n;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * PCG_MULT + this.inc) & MASK128;
  }

  /** The next 64-bit output (XSL-RR of the advanced state). */
  nextUint64(): bigint {
    this.step();
    const rot = this.state >> 122n;
    const x = ((this.state >> 64n) ^ this.state) & MASK64;
    return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
  }

  /** A double in [0, 1), as `Generator.random()`. */
  random(): number {
    return Number(this.nextUint64() >> 11n) * 2 ** -53;
  }

  /** `n` doubles, as `Generator.random(n)`. */
  randomArray(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.random();
    return out;
  }
}
