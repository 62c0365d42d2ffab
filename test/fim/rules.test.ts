/**
 * Association rules: a hand-worked textbook example, metrics checked against their formulas
 * computed straight from random transactions, filtering by every metric, and input validation.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import '../../src/runtime/init.node.js';
import { apriori } from '../../src/fim/apriori.js';
import { associationRules, type AssociationRule, type RuleMetric } from '../../src/fim/rules.js';
import type { FrequentItemset, Item } from '../../src/fim/types.js';
import { GroveArgumentError, GroveDataError } from '../../src/runtime/errors.js';
import { compareLabels, referenceItemsets, transactionSets } from './bruteforce.js';

// Han & Kamber, Data Mining: Concepts and Techniques, Table 6.1 (AllElectronics; item In is n)
const HAN_KAMBER: number[][] = [
  [1, 2, 5], [2, 4], [2, 3], [1, 2, 4], [1, 3], [2, 3], [1, 3], [1, 2, 3, 5], [1, 2, 3],
];
const METRICS: RuleMetric[] = ['support', 'confidence', 'lift', 'leverage', 'conviction'];

function hanKamberItemsets(): FrequentItemset[] {
  return apriori(HAN_KAMBER, { minSupport: 2 });
}

function sides(r: AssociationRule): string {
  return `${r.antecedent.join(',')}=>${r.consequent.join(',')}`;
}

describe('associationRules on Han–Kamber Table 6.1 (minimum support count 2, 9 transactions)', () => {
  test('confidence ≥ 0.7: the six rules of confidence 1, in canonical order', () => {
    const rules = associationRules(hanKamberItemsets(), { metric: 'confidence', minThreshold: 0.7 });
    // pairs: 4⇒2, 5⇒1, 5⇒2; from {1,2,5} (the book's example): 1∧5⇒2, 2∧5⇒1, 5⇒1∧2
    expect(rules.map(sides)).toEqual(['1,5=>2', '2,5=>1', '4=>2', '5=>1', '5=>1,2', '5=>2']);
    const byRule = new Map(rules.map((r) => [sides(r), r]));
    // 5 ⇒ 1∧2: s(XY) = 2/9, s(X) = 2/9, s(Y) = s({1,2}) = 4/9
    const r = byRule.get('5=>1,2')!;
    expect(r.count).toBe(2);
    expect(r.support).toBeCloseTo(2 / 9, 15);
    expect(r.antecedentSupport).toBeCloseTo(2 / 9, 15);
    expect(r.consequentSupport).toBeCloseTo(4 / 9, 15);
    expect(r.confidence).toBe(1);
    expect(r.lift).toBeCloseTo(9 / 4, 14);
    expect(r.leverage).toBeCloseTo(2 / 9 - (2 / 9) * (4 / 9), 15); // 10/81
    expect(r.conviction).toBe(Infinity);
    // 1∧5 ⇒ 2: lift = 1 / (7/9), leverage = 2/9 − 2/9 · 7/9 = 4/81
    expect(byRule.get('1,5=>2')!.lift).toBeCloseTo(9 / 7, 14);
    expect(byRule.get('1,5=>2')!.leverage).toBeCloseTo(4 / 81, 15);
    // 2∧5 ⇒ 1: lift = 1 / (6/9)
    expect(byRule.get('2,5=>1')!.lift).toBeCloseTo(1.5, 14);
  });

  test('every rule, and a finite conviction worked by hand', () => {
    const rules = associationRules(hanKamberItemsets(), { minThreshold: 0 });
    expect(rules).toHaveLength(6 * 2 + 2 * 6); // six pairs, two triples
    const byRule = new Map(rules.map((r) => [sides(r), r]));
    // 1 ⇒ 2: conf = 4/6, lift = (2/3)/(7/9) = 6/7, leverage = 4/9 − 6/9·7/9 = −6/81,
    // conviction = (1 − 7/9)/(1 − 2/3) = 2/3
    const r = byRule.get('1=>2')!;
    expect(r.confidence).toBeCloseTo(2 / 3, 15);
    expect(r.lift).toBeCloseTo(6 / 7, 14);
    expect(r.leverage).toBeCloseTo(-6 / 81, 15);
    expect(r.conviction).toBeCloseTo(2 / 3, 14);
    // the book's 1∧2 ⇒ 5: conf = 2/4, conviction = (7/9)/(1/2) = 14/9
    expect(byRule.get('1,2=>5')!.confidence).toBe(0.5);
    expect(byRule.get('1,2=>5')!.conviction).toBeCloseTo(14 / 9, 14);
    // sorted by descending confidence
    for (let i = 1; i < rules.length; i++) expect(rules[i - 1].confidence).toBeGreaterThanOrEqual(rules[i].confidence);
  });

  test('lift ≥ 2 keeps 1∧2 ⇒ 5 and 5 ⇒ 1∧2 (both 9/4), antecedent order breaking the tie', () => {
    const rules = associationRules(hanKamberItemsets(), { metric: 'lift', minThreshold: 2 });
    expect(rules.map(sides)).toEqual(['1,2=>5', '5=>1,2']);
  });

  test('nTransactions is inferred from count / support, and checked when given', () => {
    const itemsets = hanKamberItemsets();
    expect(associationRules(itemsets, { nTransactions: 9 })).toEqual(associationRules(itemsets));
    expect(() => associationRules(itemsets, { nTransactions: 10 })).toThrow(GroveDataError);
    expect(() => associationRules(itemsets, { nTransactions: 10 })).toThrow(/do not agree with 10 transactions/);
    // rounded supports still give the count back
    const rounded = itemsets.map((s) => ({ ...s, support: Math.round(s.support * 1000) / 1000 }));
    expect(associationRules(rounded, { minThreshold: 0 }).map(sides)).toEqual(associationRules(itemsets, { minThreshold: 0 }).map(sides));
  });
});

/** Transactions holding every item of `items`. */
function countOf(txs: Item[][], items: Item[]): number {
  return txs.filter((tx) => items.every((i) => tx.includes(i))).length;
}

const db = fc.oneof(
  fc.array(fc.subarray([0, 1, 2, 3, 4, 5, 6]), { minLength: 1, maxLength: 25 }),
  fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom<Item>('a', 'b', '1')), { maxLength: 6 }), { minLength: 1, maxLength: 25 }),
);
const minCount = fc.integer({ min: 1, max: 4 });

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('associationRules properties', () => {
  test('every split of every itemset appears once, each metric equal to its formula on the raw transactions', () => {
    fc.assert(
      fc.property(db, minCount, (raw, c) => {
        const txs = transactionSets(raw);
        const itemsets = referenceItemsets(txs, c);
        const rules = associationRules(itemsets, { metric: 'support', minThreshold: -Infinity, nTransactions: txs.length });
        const expected = itemsets.reduce((sum, s) => sum + 2 ** s.items.length - 2, 0);
        expect(rules).toHaveLength(expected);
        const n = txs.length;
        const seen = new Set<string>();
        const wrong: string[] = [];
        for (const r of rules) {
          const key = JSON.stringify([r.antecedent, r.consequent]);
          if (seen.has(key)) wrong.push(`${key} twice`);
          seen.add(key);
          if (JSON.stringify([...r.antecedent].sort(compareLabels)) !== JSON.stringify(r.antecedent)) wrong.push(`${key} antecedent order`);
          if (JSON.stringify([...r.consequent].sort(compareLabels)) !== JSON.stringify(r.consequent)) wrong.push(`${key} consequent order`);
          if (r.antecedent.some((i) => r.consequent.includes(i))) wrong.push(`${key} overlaps`);
          const cXY = countOf(txs, [...r.antecedent, ...r.consequent]);
          const sXY = cXY / n;
          const cX = countOf(txs, r.antecedent);
          const sX = cX / n;
          const sY = countOf(txs, r.consequent) / n;
          const conf = sXY / sX;
          const expected: Record<string, number> = {
            count: cXY, support: sXY, antecedentSupport: sX, consequentSupport: sY, confidence: conf,
            lift: conf / sY, leverage: sXY - sX * sY, conviction: cXY === cX ? Infinity : (1 - sY) / (1 - conf),
          };
          for (const [metric, value] of Object.entries(expected)) {
            const got = r[metric as keyof AssociationRule] as number;
            if (!close(got, value)) wrong.push(`${key} ${metric} ${got} ≠ ${value}`);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('filtering by each metric keeps exactly the rules at or above the threshold, sorted by it', () => {
    fc.assert(
      fc.property(db, minCount, fc.constantFrom(...METRICS), fc.nat(), (raw, c, metric, pickAt) => {
        const itemsets = referenceItemsets(transactionSets(raw), c);
        const all = associationRules(itemsets, { metric, minThreshold: -Infinity });
        if (all.length === 0) return;
        const threshold = all[pickAt % all.length][metric];
        const kept = associationRules(itemsets, { metric, minThreshold: threshold });
        expect(kept).toEqual(all.filter((r) => r[metric] >= threshold));
        for (let i = 1; i < kept.length; i++) expect(kept[i - 1][metric] >= kept[i][metric]).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('associationRules validation', () => {
  const itemsets = hanKamberItemsets();

  test('options', () => {
    expect(() => associationRules(itemsets, { metric: 'zhangs' as RuleMetric })).toThrow(GroveArgumentError);
    expect(() => associationRules(itemsets, { metric: 'zhangs' as RuleMetric })).toThrow(
      "associationRules: metric must be one of 'support', 'confidence', 'lift', 'leverage', 'conviction'. Got 'zhangs'",
    );
    expect(() => associationRules(itemsets, { minThreshold: NaN })).toThrow(/minThreshold must be a number \(not NaN\)\. Got NaN/);
    expect(() => associationRules(itemsets, { minThreshold: '0.5' as unknown as number })).toThrow(GroveArgumentError);
    expect(() => associationRules(itemsets, { min_threshold: 0.5 } as never)).toThrow(/unknown option "min_threshold"/);
    for (const n of [0, -1, 2.5, NaN]) expect(() => associationRules(itemsets, { nTransactions: n })).toThrow(/nTransactions must be an integer ≥ 1/);
    expect(() => associationRules(itemsets, null as never)).toThrow(GroveArgumentError);
    expect(() => associationRules({} as never)).toThrow(/itemsets must be an array/);
    for (const m of [0, 1.5, NaN]) expect(() => associationRules(itemsets, { maxRules: m })).toThrow(/maxRules must be an integer ≥ 1/);
  });

  test('maxRules caps the output with an error instead of exhausting memory', () => {
    // Han–Kamber at count 2: 6 pairs give 2 rules each, 2 triples 2^3 − 2 = 6 each: 24 in all
    const all = associationRules(itemsets, { minThreshold: 0 });
    expect(all).toHaveLength(24);
    expect(associationRules(itemsets, { minThreshold: 0, maxRules: 24 })).toEqual(all);
    expect(() => associationRules(itemsets, { minThreshold: 0, maxRules: 23 })).toThrow(
      /more than maxRules = 23 rules reach confidence ≥ 0; raise minThreshold/,
    );
  });

  test('closed or maximal input is refused, naming the missing subset', () => {
    const maximal = apriori(HAN_KAMBER, { minSupport: 2, kind: 'maximal' });
    expect(() => associationRules(maximal)).toThrow(GroveDataError);
    expect(() => associationRules(maximal)).toThrow(/\{\d+(, \d+)?\}, a subset of \{[\d, ]+\}, is not among the itemsets; rules need every frequent itemset/);
    const withoutOne = itemsets.filter((s) => s.items.join() !== '1,5');
    expect(() => associationRules(withoutOne)).toThrow('associationRules: {1, 5}, a subset of {1, 2, 5}, is not among the itemsets');
  });

  test('malformed itemsets', () => {
    const bad = (extra: unknown): unknown[] => [...itemsets, extra];
    expect(() => associationRules(bad({ items: [], count: 1, support: 0.1 }) as never)).toThrow(/is empty/);
    expect(() => associationRules(bad({ items: [1, 1], count: 1, support: 1 / 9 }) as never)).toThrow(/repeats the item 1/);
    expect(() => associationRules(bad({ items: [5, 1], count: 2, support: 2 / 9 }) as never)).toThrow(/\{5, 1\} appears twice/);
    expect(() => associationRules(bad({ items: [1], count: 0.5, support: 0.1 }) as never)).toThrow(/count must be an integer ≥ 1/);
    expect(() => associationRules(bad({ items: [9], count: 1, support: 2 }) as never)).toThrow(/support must be a fraction in \(0, 1\]/);
    expect(() => associationRules(bad({ items: [NaN], count: 1, support: 1 / 9 }) as never)).toThrow(/items must be strings or finite numbers/);
    expect(() => associationRules(bad(null) as never)).toThrow(GroveDataError);
    expect(() => associationRules(new Array(2) as never)).toThrow(/itemsets\[0\] must be/); // holes
    // a subset counted below its superset is inconsistent
    const inconsistent = itemsets.map((s) => (s.items.join() === '4' ? { ...s, count: 1, support: 1 / 9 } : s));
    expect(() => associationRules(inconsistent)).toThrow(/\{4\} has count 1, below the 2 of its superset \{2, 4\}/);
  });

  test('itemsets longer than 20 items are refused with the limit in the message', () => {
    const long = Array.from({ length: 21 }, (_, i) => i);
    expect(() => associationRules([{ items: long, count: 1, support: 1 }])).toThrow(/21 items.*at most 20 items/);
  });

  test('no itemsets give no rules; 1-itemsets alone give none', () => {
    expect(associationRules([])).toEqual([]);
    expect(associationRules([{ items: ['a'], count: 3, support: 0.5 }])).toEqual([]);
  });

  test('labels are kept apart and ordered canonically (numbers, then strings)', () => {
    const txs: Item[][] = [[1, '1', 'b'], [1, '1'], ['1', 'b', 1]];
    const rules = associationRules(apriori(txs, { minSupport: 2 }), { metric: 'support', minThreshold: 0 });
    const r = rules.find((x) => x.antecedent.length === 2 && x.consequent[0] === 'b')!;
    expect(r.antecedent).toEqual([1, '1']);
    expect(r.confidence).toBeCloseTo(2 / 3, 15);
  });
});
