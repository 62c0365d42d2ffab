/**
 * `grove` end to end: spawns `node bin/grove.js` against the built dist/ (`npm test` builds
 * first). Expected listings come from ../shared/data/fimi/reference.tsv (Borgelt's C miners) or
 * are worked out by hand below.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { sharedDir } from '../helpers/shared.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'grove-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function grove(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, 'bin/grove.js'), ...args], { cwd: dir, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The canonical listing's sha256: lines sorted bytewise, each ending in "\n". */
function canonSha(listing: string): string {
  const lines = listing.split('\n').filter((l) => l !== '');
  lines.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return createHash('sha256').update(lines.map((l) => `${l}\n`).join('')).digest('hex');
}

// Han & Kamber's AllElectronics transactions (T100..T900, item In written n); at count 2 the
// frequent itemsets are, worked out by hand (see test/fim/textbook.test.ts):
const HAN_KAMBER = '1 2 5\n2 4\n2 3\n1 2 4\n1 3\n2 3\n1 3\n1 2 3 5\n1 2 3\n';
const HAN_KAMBER_AT_2: Array<[string, number]> = [
  ['1', 6], ['2', 7], ['3', 6], ['4', 2], ['5', 2],
  ['1 2', 4], ['1 3', 4], ['1 5', 2], ['2 3', 4], ['2 4', 2], ['2 5', 2],
  ['1 2 3', 2], ['1 2 5', 2],
];
// closed: no superset with the same count (1 5 and 2 5 are covered by 1 2 5; 4 by 2 4)
const CLOSED = ['1', '2', '3', '1 2', '1 3', '2 3', '2 4', '1 2 3', '1 2 5'];
// maximal: no frequent superset
const MAXIMAL = ['2 4', '1 2 3', '1 2 5'];

const spmfLine = ([items, count]: [string, number]) => `${items} #SUP: ${count}`;

describe('grove fim', () => {
  const hk = file('hk.dat', HAN_KAMBER);

  test('SPMF listing, by both algorithms, to stdout and to --out', () => {
    const expected = HAN_KAMBER_AT_2.map(spmfLine).sort();
    for (const algo of ['fpgrowth', 'apriori']) {
      const run = grove(['fim', hk, '--min-support', '2', '--algo', algo]);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual(expected);
      const out = join(dir, `hk-${algo}.txt`);
      expect(grove(['fim', hk, '--min-support', '2', '--algo', algo, '--out', out]).stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toBe(run.stdout);
    }
  });

  test('a fraction as --min-support: 0.2 of 9 transactions needs a count of 2', () => {
    expect(grove(['fim', hk, '--min-support', '0.2']).stdout).toBe(grove(['fim', hk, '--min-support', '2']).stdout);
  });

  test('--kind closed / maximal and --max-len', () => {
    const items = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => l.split(' #SUP: ')[0]).sort();
    expect(items(grove(['fim', hk, '--min-support', '2', '--kind', 'closed']).stdout)).toEqual([...CLOSED].sort());
    expect(items(grove(['fim', hk, '--min-support', '2', '--kind', 'maximal']).stdout)).toEqual([...MAXIMAL].sort());
    const short = HAN_KAMBER_AT_2.filter(([s]) => s.split(' ').length <= 2).map(([s]) => s).sort();
    expect(items(grove(['fim', hk, '--min-support', '2', '--max-len', '2']).stdout)).toEqual(short);
  });

  test('JSON and CSV hold the same itemsets, counts and supports', () => {
    const json = JSON.parse(grove(['fim', hk, '--min-support', '2', '--format', 'json']).stdout) as Array<{ items: number[]; count: number; support: number }>;
    const fromJson = json.map((s) => [s.items.join(' '), s.count, s.support]);
    const csv = grove(['fim', hk, '--min-support', '2', '--format', 'csv']).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe('items,count,support');
    const fromCsv = csv.slice(1).map((line) => {
      const [items, count, support] = line.split(',');
      return [items, Number(count), Number(support)];
    });
    const expected = HAN_KAMBER_AT_2.map(([s, c]) => [s, c, c / 9]);
    const order = (rows: unknown[][]) => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(order(fromJson)).toEqual(order(expected));
    expect(order(fromCsv)).toEqual(order(expected));
    expect(json.every((s) => s.items.every((i) => typeof i === 'number'))).toBe(true);
  });

  test('CSV baskets: string items, quoted labels survive JSON and CSV output', () => {
    const baskets = file('b.csv', 'milk,bread\nmilk,"jam, red"\nbread,milk,"jam, red"\n');
    const json = JSON.parse(grove(['fim', baskets, '--min-support', '2', '--format', 'json']).stdout) as Array<{ items: string[]; count: number }>;
    expect(json.map((s) => `${s.items.join('|')}:${s.count}`).sort()).toEqual(
      ['bread:2', 'bread|milk:2', 'jam, red:2', 'jam, red|milk:2', 'milk:3'],
    );
    expect(grove(['fim', baskets, '--min-support', '3', '--format', 'csv']).stdout).toBe('items,count,support\nmilk,3,1\n');
    expect(grove(['fim', baskets, '--min-support', '2', '--format', 'csv']).stdout).toContain('\n"jam, red milk",2,');
    const long = file('long.csv', 'basket,item\nb1,milk\nb2,milk\nb1,bread\nb2,bread\nb3,jam\n');
    expect(grove(['fim', long, '--csv-long', '--header', '--min-support', '2']).stdout.split('\n').filter(Boolean).sort())
      .toEqual(['bread #SUP: 2', 'bread milk #SUP: 2', 'milk #SUP: 2']);
  });

  test('stdin as FILE "-"', () => {
    const run = grove(['fim', '-', '--min-support', '2'], HAN_KAMBER);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual(HAN_KAMBER_AT_2.map(spmfLine).sort());
  });
});

describe('grove rules', () => {
  test('rules of the Han–Kamber data, checked by hand', () => {
    const hk = file('hk-rules.dat', HAN_KAMBER);
    const json = JSON.parse(grove(['rules', hk, '--min-support', '2', '--min-threshold', '1', '--format', 'json']).stdout) as Array<{
      antecedent: number[]; consequent: number[]; count: number; confidence: number; lift: number;
    }>;
    // confidence 1: {4}→{2} (2/2), {5}→{2}, {5}→{1}, {1 5}→{2}, {2 5}→{1}, {5}→{1 2}
    const names = json.map((r) => `${r.antecedent.join(' ')} => ${r.consequent.join(' ')}`).sort();
    expect(names).toEqual(['1 5 => 2', '2 5 => 1', '4 => 2', '5 => 1', '5 => 1 2', '5 => 2'].sort());
    const r = json.find((x) => x.antecedent.join(' ') === '5' && x.consequent.join(' ') === '1 2')!;
    expect(r.count).toBe(2);
    expect(r.lift).toBeCloseTo(1 / (4 / 9), 12); // confidence 1 / support of {1 2}
    const spmf = grove(['rules', hk, '--min-support', '2', '--min-threshold', '1']).stdout;
    expect(spmf).toMatch(/^5 ==> 1 2 #SUP: 2 #CONF: 1 #LIFT: 2\.2499999|^5 ==> 1 2 #SUP: 2 #CONF: 1 #LIFT: 2\.25$/m);
    const csv = grove(['rules', hk, '--min-support', '2', '--min-threshold', '1', '--format', 'csv']).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe('antecedent,consequent,count,support,confidence,lift,leverage,conviction,antecedentSupport,consequentSupport');
    expect(csv).toHaveLength(7);
  });
});

describe('bad input: exit status 2, one line on stderr, nothing written', () => {
  const ok = file('ok.dat', '1 2\n2 3\n');
  const cases: Array<[string, string[], RegExp]> = [
    ['an empty file', ['fim', file('empty.dat', ''), '--min-support', '1'], /^grove: no transactions in .*empty\.dat$/],
    ['a non-numeric token', ['fim', file('letters.dat', '1 2\n3 x4\n'), '--min-support', '1'], /^grove: .*letters\.dat:2: "x4" is not an item id/],
    ['a negative item', ['fim', file('neg.dat', '-1 2\n'), '--min-support', '1'], /^grove: .*neg\.dat:1: "-1" is negative/],
    ['minSupport 0', ['fim', ok, '--min-support', '0'], /^grove: fim: --min-support must be a fraction in \(0, 1\]/],
    ['a count above the transactions', ['fim', ok, '--min-support', '3'], /^grove: fim: --min-support 3 \(a count\) exceeds/],
    ['a non-numeric minSupport', ['fim', ok, '--min-support', 'lots'], /^grove: fim: --min-support must be a number/],
    ['no --min-support', ['fim', ok], /^grove: fim: --min-support is required/],
    ['an unknown flag', ['fim', ok, '--min-support', '1', '--fast'], /^grove: fim: unknown option --fast/],
    ['a flag without its value', ['fim', ok, '--min-support'], /^grove: fim: --min-support needs a value/],
    ['a bad --kind', ['fim', ok, '--min-support', '1', '--kind', 'open'], /^grove: fim: --kind must be one of all, closed, maximal/],
    ['a bad --format', ['rules', ok, '--min-support', '1', '--format', 'xml'], /^grove: rules: --format must be one of spmf, json, csv/],
    ['a bad --metric', ['rules', ok, '--min-support', '1', '--metric', 'gain'], /^grove: rules: --metric must be one of/],
    ['a missing file', ['fim', join(dir, 'absent.dat'), '--min-support', '1'], /^grove: .*absent\.dat: no such file or directory$/],
    ['a directory', ['fim', dir, '--min-support', '1'], /^grove: .*: is a directory$/],
    ['no FILE', ['fim', '--min-support', '1'], /^grove: fim: missing input FILE/],
    ['an unknown command', ['mine'], /^grove: unknown command "mine"/],
    // at count 2: {1}:2, {2}:3, {1 2}:2, so {1}⇒{2} (confidence 1) and {2}⇒{1} (2/3) pass 0.5
    ['more rules than --max-rules', ['rules', file('two-rules.dat', '1 2\n1 2\n2 3\n'), '--min-support', '2', '--min-threshold', '0.5', '--max-rules', '1'], /^grove: associationRules: more than --max-rules = 1 rules reach confidence ≥ 0\.5; raise --min-threshold/],
    ['an unclosed CSV quote', ['fim', file('q.csv', 'a,b\n"c,d\n'), '--min-support', '1'], /^grove: .*q\.csv:2: a quoted field is never closed$/],
  ];
  test.each(cases)('%s', (_, args, message) => {
    const out = join(dir, 'never.txt');
    const run = grove([...args, '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines).toHaveLength(2); // one line and its newline
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a failed run leaves an existing --out file untouched', () => {
    const out = file('keep.txt', 'previous result\n');
    expect(grove(['fim', file('bad2.dat', '1 2\nthree\n'), '--min-support', '1', '--out', out]).status).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous result\n');
  });

  test('--out in a missing folder names that path', () => {
    const run = grove(['fim', ok, '--min-support', '1', '--out', join(dir, 'no/such/x.txt')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^grove: .*no\/such\/x\.txt: no such file or directory\n$/);
  });
});

describe('help and demo', () => {
  const flags: Record<string, string[]> = {
    fim: ['--input-format', '--csv-long', '--header', '--min-support', '--algo', '--max-len', '--kind', '--format', '--out', '--help'],
    rules: ['--input-format', '--csv-long', '--header', '--min-support', '--algo', '--max-len', '--metric', '--min-threshold', '--format', '--out', '--help'],
    demo: ['--help'],
  };
  test.each(Object.keys(flags))('grove %s --help lists every flag', (command) => {
    for (const help of ['--help', '-h']) {
      const run = grove([command, help]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: grove ${command}`));
      for (const flag of flags[command]) expect(run.stdout).toContain(flag);
    }
  });

  test('grove --help names every command', () => {
    for (const args of [['--help'], []]) {
      const run = grove(args);
      expect(run.status).toBe(0);
      for (const command of Object.keys(flags)) expect(run.stdout).toContain(`  ${command} `);
    }
  });

  test('grove demo prints the top 10 itemsets and rules, quickly', () => {
    const start = performance.now();
    const run = grove(['demo']);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const [itemsets, rules] = run.stdout.split('\nStrongest rules by lift');
    expect(itemsets).toMatch(/^grove demo: 2000 grocery baskets over 64 products/);
    // ten table rows after each header row; itemsets have two or more products
    const rows = (text: string, header: RegExp) => text.split('\n').slice(text.split('\n').findIndex((l) => header.test(l)) + 1).filter(Boolean);
    const itemsetRows = rows(itemsets, /support\s+baskets\s+itemset/);
    expect(itemsetRows).toHaveLength(10);
    for (const row of itemsetRows) expect(row).toContain(' + ');
    const ruleRows = rows(rules, /lift\s+confidence\s+support\s+rule/);
    expect(ruleRows).toHaveLength(10);
    const lifts = ruleRows.map((r) => Number(r.trim().split(/\s+/)[0]));
    expect(lifts).toEqual([...lifts].sort((a, b) => b - a));
    // a planted association of scripts/make-demo-data.mjs comes out on top
    expect(ruleRows[0]).toMatch(/diapers|baby wipes/);
  });
});

const fimi = sharedDir('data/fimi');
describe.skipIf(!fimi.present)(`grove fim on the FIMI benchmark sets${fimi.skipReason}`, () => {
  const reference = new Map<string, string>();
  if (fimi.present) {
    for (const line of readFileSync(join(fimi.path, 'reference.tsv'), 'utf8').split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const [dataset, minsup, , , sha] = line.split('\t');
      reference.set(`${dataset}@${minsup}`, sha);
    }
  }
  test.each([['chess', 2238], ['retail', 88]])('%s at count %i equals the reference listing', (name, minCount) => {
    const out = join(dir, `${name}.txt`);
    const run = grove(['fim', join(fimi.path, `${name}.dat`), '--min-support', String(minCount), '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
    expect(canonSha(readFileSync(out, 'utf8'))).toBe(reference.get(`${name}@${minCount}`));
  });

  test('chess at count 2238 by Apriori, as JSON, holds the same itemsets', () => {
    const run = grove(['fim', join(fimi.path, 'chess.dat'), '--min-support', '2238', '--algo', 'apriori', '--format', 'json']);
    const json = JSON.parse(run.stdout) as Array<{ items: number[]; count: number }>;
    const listing = json.map((s) => `${[...s.items].sort((a, b) => a - b).join(' ')} #SUP: ${s.count}`).join('\n');
    expect(canonSha(listing)).toBe(reference.get('chess@2238'));
  });
});
