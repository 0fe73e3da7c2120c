// What a journal record holds: the calls to the state-changing methods of one Store and one
// SalesStore (the ones dataFileSchema.ts lists) and the token revocations, since the last commit.
// The methods are wrapped on the two instances, so the stores themselves know nothing of it; a
// call made by a journaled method is part of it and is not recorded again. Arguments are kept by
// reference and serialized at commit, so a write that records nothing costs nothing.
import { nextTokenGeneration } from './tokenGeneration';
import { AUTH_CALLS, SALES_CALLS, STORE_CALLS, type JournalCall } from './dataFileSchema';
import type { SalesStore } from './salesStore';
import type { Store } from './store';

type Target = JournalCall['target'];
interface Call {
  target: Target;
  method: string;
  args: unknown[];
}

/** JSON has no undefined: trailing undefined arguments are left out (the schemas read them back). */
function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let length = args.length;
  while (length > 0 && args[length - 1] === undefined) length--;
  return length === args.length ? args : args.slice(0, length);
}

export class MutationRecorder {
  private pending: Call[] = [];
  private depth = 0;
  private replaying = false;

  constructor(
    readonly store: Store,
    readonly sales: SalesStore,
  ) {
    this.wrap('store', store, Object.keys(STORE_CALLS));
    this.wrap('sales', sales, Object.keys(SALES_CALLS));
  }

  private wrap(target: Target, instance: object, methods: string[]): void {
    const slots = instance as Record<string, unknown>;
    for (const method of methods) {
      const original = slots[method];
      if (typeof original !== 'function') throw new Error(`${target}.${method} is not a method: the journaled methods in dataFileSchema.ts are out of date`);
      const fn = original as (...args: unknown[]) => unknown;
      slots[method] = (...args: unknown[]): unknown => {
        this.depth++;
        let result: unknown;
        try {
          result = fn.apply(instance, args);
        } finally {
          this.depth--;
        }
        if (this.depth === 0 && !this.replaying) this.pending.push({ target, method, args });
        return result;
      };
    }
  }

  /** A token revocation: tokens must carry `generation` from then on. */
  recordRevocation(generation: number): void {
    this.pending.push({ target: 'auth', method: 'revoke' satisfies keyof typeof AUTH_CALLS, args: [generation] });
  }

  /** The calls since the last take, as the JSON text of a record's `calls`; undefined when there were none. */
  take(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const calls = this.pending;
    this.pending = [];
    return JSON.stringify(calls.map((call) => [call.target, call.method, withoutTrailingUndefined(call.args)]));
  }

  /**
   * Makes the calls again, without recording them. `tokenGeneration` is the generation before them;
   * returns the one after them. A revocation must move it to the next one (nextTokenGeneration):
   * a line that sets any other could make revoking stop working.
   */
  replay(calls: readonly JournalCall[], tokenGeneration: number): number {
    let generation = tokenGeneration;
    this.replaying = true;
    try {
      for (const [i, call] of calls.entries()) {
        if (call.target === 'auth') {
          const next = nextTokenGeneration(generation);
          const set = call.args[0];
          if (set !== next) {
            throw new Error(`call ${i} (auth.revoke) sets the token generation to ${set}, but a revocation moves it from ${generation} to ${next} only`);
          }
          generation = next;
          continue;
        }
        const instance: object = call.target === 'store' ? this.store : this.sales;
        const fn = (instance as Record<string, unknown>)[call.method] as (...args: unknown[]) => unknown;
        fn.apply(instance, call.args);
      }
    } finally {
      this.replaying = false;
    }
    return generation;
  }
}
