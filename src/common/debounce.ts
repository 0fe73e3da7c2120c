/**
 * One pending run per key (a document's URI): scheduling again restarts its wait, so a check runs
 * once, `delayMs` after the last keystroke. Disposing cancels every pending run. No vscode import.
 */
export class KeyedDebouncer {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly delayMs: number) {}

  /** Runs `run` `delayMs` from now, instead of what was pending for `key`. */
  schedule(key: string, run: () => void): void {
    this.cancel(key);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        run();
      }, this.delayMs),
    );
  }

  /** Drops the run pending for `key`, if any. */
  cancel(key: string): void {
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
