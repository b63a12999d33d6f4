/**
 * Progress of one epoch on stderr: a redrawn bar on a TTY, plain lines (every tenth of the epoch)
 * otherwise, so logs and CI output stay readable.
 */
export class EpochProgress {
  private seen = 0;
  private loss = 0;
  private correct = 0;
  private nextLine = 0.1;

  constructor(
    private readonly epoch: number,
    private readonly epochs: number,
    private readonly total: number,
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    /** When the epoch began (performance.now()): its first batch is timed too, not only those after it. */
    private readonly start = performance.now(),
  ) {}

  /** Per-second throughput so far. */
  get samplesPerSecond(): number {
    return this.seen / Math.max((performance.now() - this.start) / 1000, 1e-9);
  }

  batch(size: number, loss: number, accuracy: number): void {
    this.seen += size;
    this.loss += loss * size;
    this.correct += accuracy * size;
    const frac = this.seen / this.total;
    if (this.tty) {
      const width = 24;
      const filled = Math.round(frac * width);
      this.write(`\r${this.prefix()} [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}] ${this.stats()}`);
    } else if (frac >= this.nextLine || this.seen === this.total) {
      this.nextLine = Math.floor(frac * 10 + 1) / 10;
      this.write(`${this.prefix()} ${this.stats()}\n`);
    }
  }

  private prefix(): string {
    return `epoch ${this.epoch + 1}/${this.epochs} ${String(this.seen).padStart(String(this.total).length)}/${this.total}`;
  }

  private stats(): string {
    return `loss ${(this.loss / Math.max(this.seen, 1)).toFixed(4)} acc ${((100 * this.correct) / Math.max(this.seen, 1)).toFixed(2)}% ` +
      `${this.samplesPerSecond.toFixed(0)} samples/s ETA ${duration(this.remaining / Math.max(this.samplesPerSecond, 1e-9))}`;
  }

  /** Samples left in this epoch and the epochs after it, at this epoch's rate. */
  private get remaining(): number {
    return this.total - this.seen + (this.epochs - this.epoch - 1) * this.total;
  }

  end(summary: string): void {
    this.write(`${this.tty ? '\r\x1b[2K' : ''}${summary}\n`);
  }
}

/** 75 s as "1m15s", an hour and more as "1h02m". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
