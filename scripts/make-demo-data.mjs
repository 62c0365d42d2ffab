#!/usr/bin/env node
// Writes data/demo/groceries.csv: synthetic grocery baskets for `grove demo`, one basket per row.
// Items are drawn by popularity, then planted associations add companions (pasta → tomato sauce,
// bacon → eggs, …) so the demo has rules worth finding. Seeded: every run writes the same file.
//   node scripts/make-demo-data.mjs [baskets=2000] [seed=20240601] [out=data/demo/groceries.csv]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASKETS = Number(process.argv[2] ?? 2000);
const SEED = Number(process.argv[3] ?? 20240601);
const OUT = process.argv[4] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'demo', 'groceries.csv');

// product → relative popularity
const PRODUCTS = {
  'whole milk': 20, yogurt: 12, butter: 8, 'cheddar cheese': 7, eggs: 12, 'cream cheese': 4, 'sour cream': 3, brie: 2,
  'white bread': 12, 'whole wheat bread': 8, bagels: 5, croissants: 4, tortillas: 4, 'burger buns': 4,
  bananas: 18, apples: 10, tomatoes: 9, onions: 9, potatoes: 8, lettuce: 6, avocados: 4, lemons: 5, carrots: 7,
  garlic: 5, strawberries: 5, spinach: 4,
  'chicken breast': 9, 'ground beef': 6, bacon: 6, sausages: 5, 'smoked salmon': 2, ham: 4,
  pasta: 8, 'tomato sauce': 4, parmesan: 2, rice: 6, cereal: 8, 'peanut butter': 5, jam: 3, 'olive oil': 4,
  flour: 3, sugar: 4, coffee: 10, tea: 5, honey: 2, 'canned beans': 4, ketchup: 3,
  'potato chips': 8, salsa: 2, chocolate: 7, cookies: 6, crackers: 3, popcorn: 3, nuts: 3,
  beer: 7, 'red wine': 5, 'orange juice': 8, 'sparkling water': 6, cola: 7,
  diapers: 3, 'baby wipes': 1, 'paper towels': 5, 'dish soap': 4, 'toilet paper': 5,
};

// [if the basket holds all of these, add each companion with its probability], applied in order
const PLANTED = [
  [['pasta'], { 'tomato sauce': 0.55, parmesan: 0.3, garlic: 0.2 }],
  [['pasta', 'tomato sauce'], { parmesan: 0.3, 'olive oil': 0.15 }],
  [['burger buns'], { 'ground beef': 0.6, ketchup: 0.45, 'cheddar cheese': 0.35 }],
  [['tortillas'], { salsa: 0.5, avocados: 0.45, 'ground beef': 0.3, 'sour cream': 0.3 }],
  [['diapers'], { 'baby wipes': 0.6, beer: 0.25 }],
  [['beer'], { 'potato chips': 0.35 }],
  [['potato chips'], { salsa: 0.2 }],
  [['cereal'], { 'whole milk': 0.6, bananas: 0.3 }],
  [['coffee'], { 'whole milk': 0.35, sugar: 0.2 }],
  [['peanut butter'], { jam: 0.45, 'white bread': 0.4 }],
  [['red wine'], { brie: 0.35, crackers: 0.4 }],
  [['bagels'], { 'cream cheese': 0.5, 'smoked salmon': 0.15 }],
  [['bacon'], { eggs: 0.55 }],
  [['lettuce'], { tomatoes: 0.5 }],
  [['tea'], { honey: 0.3, lemons: 0.3 }],
];

// mulberry32
let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const names = Object.keys(PRODUCTS);
const weights = Object.values(PRODUCTS);
const totalWeight = weights.reduce((a, b) => a + b, 0);

function pick() {
  let r = random() * totalWeight;
  for (let i = 0; i < names.length; i++) if ((r -= weights[i]) < 0) return names[i];
  return names[names.length - 1];
}

/** 1 + a Poisson(3.2) count, by inversion. */
function basketSize() {
  let k = 0;
  let p = Math.exp(-3.2);
  let cdf = p;
  const u = random();
  while (u > cdf && k < 20) {
    k++;
    p *= 3.2 / k;
    cdf += p;
  }
  return 1 + k;
}

const rows = [];
for (let b = 0; b < BASKETS; b++) {
  const basket = new Set();
  for (let n = basketSize(); basket.size < n; ) basket.add(pick());
  for (const [when, add] of PLANTED) {
    if (!when.every((item) => basket.has(item))) continue;
    for (const [item, p] of Object.entries(add)) if (random() < p) basket.add(item);
  }
  rows.push([...basket].join(','));
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, rows.join('\n') + '\n');
console.log(`${OUT}: ${BASKETS} baskets, ${names.length} products`);
