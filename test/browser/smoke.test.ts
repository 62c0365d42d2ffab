// The browser entry (dist/index.js) in headless Chromium: `init()` fetches grove.wasm next to
// the bundle and compiles it with WebAssembly.compileStreaming, then FP-growth and rules run.
// Needs Debian's chromium; skips with a message where /usr/bin/chromium is absent.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

// Han & Kamber's AllElectronics table: 13 frequent itemsets at count 2 (worked out in
// test/fim/textbook.test.ts); 6 rules reach confidence 0.7 there: {1,5}⇒2, {2,5}⇒1, 5⇒2, 5⇒1,
// 5⇒{1,2} and 4⇒2 (each with confidence 1).
const PAGE = `<!doctype html><script type="module">
import { init, fpGrowth, associationRules } from '/dist/index.js';
const compileStreaming = WebAssembly.compileStreaming;
let streamed = false;
WebAssembly.compileStreaming = (source) => { streamed = true; return compileStreaming(source); };
try {
  await init();
  const tx = [[1,2,5],[2,4],[2,3],[1,2,4],[1,3],[2,3],[1,3],[1,2,3,5],[1,2,3]];
  const itemsets = fpGrowth(tx, { minSupport: 2 });
  const rules = associationRules(itemsets, { metric: 'confidence', minThreshold: 0.7 });
  document.title = JSON.stringify({ streamed, itemsets: itemsets.length, rules: rules.length });
} catch (err) {
  document.title = JSON.stringify({ error: String(err) });
}
</script>`;

function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
      return;
    }
    const path = normalize(join(ROOT, req.url ?? ''));
    if (!path.startsWith(join(ROOT, 'dist')) || !existsSync(path)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!existsSync(CHROMIUM))(`browser entry in headless Chromium (${CHROMIUM})`, () => {
  it('init() streams grove.wasm from beside the bundle and the miners run', async () => {
    const server = await serve();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => document.title.startsWith('{'), null, { timeout: 30_000 });
      expect(JSON.parse(await page.title())).toEqual({ streamed: true, itemsets: 13, rules: 6 });
    } finally {
      await browser.close();
      server.close();
    }
  });
});

if (!existsSync(CHROMIUM)) console.warn(`browser smoke test skipped: ${CHROMIUM} not found (apt-get install chromium)`);
