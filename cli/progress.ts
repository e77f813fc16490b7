/**
 * Live progress for long operations (a rollout's waves, a fleet's clusters). On a terminal the
 * bars are redrawn in place; piped to a file or another program, only changes are written, as
 * plain lines, so logs stay readable and grep-able.
 */
export interface ProgressItem {
  /** What is progressing, e.g. a wave name. */
  label: string;
  done: number;
  total: number;
  /** A short word after the bar: Progressing, Paused, Failed, … */
  state?: string;
}

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const ESC = "\u001b[";

export function renderBar(done: number, total: number, width: number): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
}

function lineOf(item: ProgressItem, labelWidth: number, barWidth: number): string {
  const count = `${item.done}/${item.total}`;
  const state = item.state ? `  ${item.state}` : "";
  return `${item.label.padEnd(labelWidth)}  ${renderBar(item.done, item.total, barWidth)}  ${count}${state}`;
}

export class ProgressRenderer {
  private drawn = 0;
  private readonly last = new Map<string, string>();

  constructor(
    private readonly out: ProgressStream,
    private readonly options: { barWidth?: number } = {},
  ) {}

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  /** Shows the current state of every item. */
  update(items: ProgressItem[]): void {
    const labelWidth = Math.max(0, ...items.map((i) => i.label.length));
    const room = (this.out.columns ?? 80) - labelWidth - 24;
    const barWidth = Math.max(10, Math.min(this.options.barWidth ?? 30, room));
    if (this.interactive) {
      // Move up over what was drawn last time, then redraw every line from its start.
      let frame = this.drawn > 0 ? `${ESC}${this.drawn}A` : "";
      for (const item of items) frame += `\r${ESC}2K${lineOf(item, labelWidth, barWidth)}\n`;
      this.out.write(frame);
      this.drawn = items.length;
      return;
    }
    for (const item of items) {
      const line = `${item.label}: ${item.done}/${item.total}${item.state ? ` ${item.state}` : ""}`;
      if (this.last.get(item.label) === line) continue;
      this.last.set(item.label, line);
      this.out.write(`${line}\n`);
    }
  }

  /** A message above the bars (a terminal) or as its own line (a pipe). */
  log(message: string): void {
    if (this.interactive && this.drawn > 0) {
      this.out.write(`${ESC}${this.drawn}A\r${ESC}0J${message}\n`);
      this.drawn = 0;
      return;
    }
    this.out.write(`${message}\n`);
  }
}
