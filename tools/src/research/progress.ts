/** A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise. */
export class ProgressBar {
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = performance.now();

  /** Returns a bar for `total` units labelled `label`; `enabled` false makes it silent. */
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly enabled = true,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Reports that `done` units are complete. */
  update(done: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    const frac = this.total === 0 ? 1 : done / this.total;
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : 0;
    const text = `${this.label} [${'#'.repeat(Math.floor(frac * 30)).padEnd(30, '.')}] ${done}/${this.total} ${(frac * 100).toFixed(1)}% elapsed ${elapsed.toFixed(1)}s eta ${eta.toFixed(1)}s`;
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      this.stream.write(`\r${text}`);
      if (done >= this.total) this.stream.write('\n');
    } else {
      const decile = Math.floor(frac * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }
}
