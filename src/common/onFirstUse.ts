/**
 * A part of the extension made on first use: `load` imports its module, which the bundle keeps
 * in a file of its own (LAZY in scripts/build.mjs), and builds it. So activation loads only what
 * the first tree page needs. No vscode import, so it runs in node tests.
 */
import type { DisposableLike } from './lifecycle';

export class OnFirstUse<T extends object> implements DisposableLike {
  private loading: Promise<T> | undefined;
  private made: T | undefined;
  private disposed = false;

  constructor(private readonly load: () => Promise<T>) {}

  /** What was made, once it was (nothing is loaded to answer). */
  get loaded(): T | undefined {
    return this.made;
  }

  /**
   * Loads and makes it on the first call; later and concurrent calls share that one. A load that
   * failed (a file missing from an install) is tried again on the next call.
   */
  get(): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('The ServiceTitan CRM extension is shutting down.'));
    this.loading ??= this.load().then(
      (made) => {
        if (this.disposed) {
          disposeOf(made);
          throw new Error('The ServiceTitan CRM extension is shutting down.');
        }
        this.made = made;
        return made;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  /** Disposes what was made (if it is disposable), or what a load still under way makes. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const made = this.made;
    this.made = undefined;
    if (made) disposeOf(made);
  }
}

function disposeOf(value: object): void {
  if ('dispose' in value && typeof value.dispose === 'function') (value as DisposableLike).dispose();
}
