/**
 * One status line on stderr that redraws in place, for people watching a terminal. When stderr is
 * not a TTY (pipes, CI, benchmarks) nothing at all is written, so output stays clean; nor when
 * the results themselves go to the same terminal, where redraws would break their lines.
 */
import { writeSync } from 'node:fs';

const REDRAW_MS = 100;

export class Progress {
  readonly active: boolean;
  private readonly start = performance.now();
  private lastDraw = -Infinity;
  private shown = false;

  /** `resultsToTerminal`: the command writes its results to stdout, and stdout is a TTY. */
  constructor(resultsToTerminal: boolean) {
    this.active = process.stderr.isTTY === true && !resultsToTerminal;
  }

  /** Shows `text` now (a new phase: reading, writing…). */
  stage(text: string): void {
    if (this.active) this.draw(text);
  }

  /** An `onProgress` callback for a miner, at most ~10 redraws a second; undefined when inactive. */
  miner(label: string, unit: string): ((p: { done: number; total: number }) => void) | undefined {
    if (!this.active) return undefined;
    return ({ done, total }) => {
      const now = performance.now();
      if (now - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = now;
      const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
      this.draw(`${label}: ${done}/${total} ${unit} (${pct}%) ${this.elapsed()}`);
    };
  }

  /** Clears the status line and prints a closing summary (TTY only). */
  finish(summary: string): void {
    if (!this.active) return;
    this.clear();
    writeSync(2, `${summary} in ${this.elapsed()}\n`);
  }

  clear(): void {
    if (!this.shown) return;
    writeSync(2, '\r\x1b[K');
    this.shown = false;
  }

  private elapsed(): string {
    return `${((performance.now() - this.start) / 1000).toFixed(1)} s`;
  }

  private draw(text: string): void {
    const width = process.stderr.columns || 80;
    writeSync(2, `\r\x1b[K${text.length >= width ? text.slice(0, width - 1) : text}`);
    this.shown = true;
  }
}
