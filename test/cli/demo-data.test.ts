/** The bundled demo data set is exactly what its seeded generator writes. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('scripts/make-demo-data.mjs reproduces data/demo/groceries.csv byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grove-demo-'));
  try {
    const out = join(dir, 'groceries.csv');
    execFileSync(process.execPath, [join(root, 'scripts/make-demo-data.mjs'), '2000', '20240601', out]);
    const bundled = readFileSync(join(root, 'data/demo/groceries.csv'));
    expect(readFileSync(out).equals(bundled)).toBe(true);
    expect(bundled.length).toBeLessThan(200_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
