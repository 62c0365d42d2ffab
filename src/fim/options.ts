/** Validation shared by every miner (mlxtend-style messages that say what is accepted). */
import { GroveArgumentError } from '../runtime/errors.js';
import type { ItemsetKind, MineOptions } from './types.js';

export interface MineParams {
  /** Absolute count threshold, ≥ 1 (an itemset is frequent when its count ≥ minCount). */
  minCount: number;
  /** 0 = unlimited. */
  maxLen: number;
  kind: ItemsetKind;
  onProgress?: MineOptions['onProgress'];
}

const KINDS: readonly ItemsetKind[] = ['all', 'closed', 'maximal'];
const KNOWN = new Set(['minSupport', 'maxLen', 'kind', 'onProgress']);

/**
 * The absolute threshold for `minSupport` over `nTx` transactions: a fraction s in (0, 1] needs
 * count / nTx ≥ s (decided in floating point, as mlxtend does), an integer > 1 is a count.
 */
export function minCountFor(minSupport: number, nTx: number, fn: string): number {
  if (typeof minSupport !== 'number' || !Number.isFinite(minSupport) || minSupport <= 0) {
    throw new GroveArgumentError(`${fn}: minSupport must be a fraction in (0, 1] or an integer count > 1. Got ${String(minSupport)}`);
  }
  if (minSupport <= 1) {
    if (nTx === 0) return 1;
    let c = Math.max(1, Math.ceil(minSupport * nTx));
    while (c > 1 && (c - 1) / nTx >= minSupport) c--;
    while (c / nTx < minSupport) c++;
    return c;
  }
  if (!Number.isInteger(minSupport)) {
    throw new GroveArgumentError(`${fn}: minSupport above 1 is an absolute count and must be an integer. Got ${minSupport}`);
  }
  if (minSupport > nTx) {
    throw new GroveArgumentError(`${fn}: minSupport ${minSupport} (a count) exceeds the number of transactions (${nTx})`);
  }
  return minSupport;
}

export function resolveMineOptions(options: MineOptions, nTx: number, fn: string): MineParams {
  if (options == null || typeof options !== 'object') {
    throw new GroveArgumentError(`${fn}: options { minSupport } are required`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new GroveArgumentError(`${fn}: unknown option "${key}" (known: ${[...KNOWN].join(', ')})`);
  }
  const minCount = minCountFor(options.minSupport, nTx, fn);
  const maxLen = options.maxLen ?? 0;
  if (options.maxLen !== undefined && (!Number.isInteger(maxLen) || maxLen < 1)) {
    throw new GroveArgumentError(`${fn}: maxLen must be an integer ≥ 1. Got ${String(options.maxLen)}`);
  }
  const kind = options.kind ?? 'all';
  if (!KINDS.includes(kind)) throw new GroveArgumentError(`${fn}: kind must be one of ${KINDS.join(', ')}. Got ${String(kind)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new GroveArgumentError(`${fn}: onProgress must be a function`);
  }
  return { minCount, maxLen: Math.min(maxLen, 0x7fffffff), kind, onProgress: options.onProgress };
}
