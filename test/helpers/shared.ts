/**
 * Data that lives beside the repository in `../shared` (CI has it, a fresh clone does not).
 * Tests that need it skip with `skipReason` in their title.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../shared/', import.meta.url));

export interface SharedDir {
  path: string;
  present: boolean;
  /** Empty when present; otherwise says what is missing, for test titles and logs. */
  skipReason: string;
}

/** `../shared/<sub>` and whether it exists. */
export function sharedDir(sub: string): SharedDir {
  const path = root + sub;
  const present = existsSync(path);
  const skipReason = present ? '' : ` (skipped: ${path} is absent; it comes with ../shared)`;
  if (!present) console.warn(`skipping tests that need ${path}: directory absent`);
  return { path, present, skipReason };
}
