/**
 * The one way a class owns what must be disposed with it (as vscode-pull-request-github's
 * `src/common/lifecycle.ts`): it extends `Disposable` and `register`s each emitter, listener,
 * registration or view it makes, instead of keeping an array of them by hand. No vscode import,
 * so it runs in node tests; a `vscode.Disposable` is a `DisposableLike`.
 */
export interface DisposableLike {
  dispose(): unknown;
}

export abstract class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Owns `value` from now on (disposed at once when this object is disposed already) and returns it. */
  protected register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  /**
   * Disposes what was registered, once, in the order it was registered. One that throws does not
   * keep the others from being disposed: its error is thrown after them.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const value of this.owned.splice(0)) {
      try {
        value.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed to dispose.`);
  }
}
