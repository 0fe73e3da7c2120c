// The Disposable base every owner of emitters, listeners and registrations extends.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Disposable, type DisposableLike } from '../../../src/common/lifecycle';

class Owner extends Disposable {
  own<T extends DisposableLike>(value: T): T {
    return this.register(value);
  }
  get gone(): boolean {
    return this.isDisposed;
  }
}

const recorder = (log: string[], name: string, fail = false): DisposableLike => ({
  dispose() {
    log.push(name);
    if (fail) throw new Error(`${name} failed`);
  },
});

void describe('Disposable', () => {
  void test('disposes what it registered once, in the order registered', () => {
    const log: string[] = [];
    const owner = new Owner();
    const first = recorder(log, 'a');
    assert.equal(owner.own(first), first, 'register returns what it was given');
    owner.own(recorder(log, 'b'));
    owner.own(recorder(log, 'c'));
    assert.equal(owner.gone, false);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['a', 'b', 'c']);
    assert.equal(owner.gone, true);
  });

  void test('what is registered after dispose is disposed at once, not kept', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.dispose();
    owner.own(recorder(log, 'late'));
    assert.deepEqual(log, ['late']);
    owner.dispose();
    assert.deepEqual(log, ['late']);
  });

  void test('one that throws does not keep the rest from being disposed; its error comes after', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own(recorder(log, 'a'));
    owner.own(recorder(log, 'b', true));
    owner.own(recorder(log, 'c'));
    assert.throws(() => owner.dispose(), /b failed/);
    assert.deepEqual(log, ['a', 'b', 'c']);

    const several = new Owner();
    several.own(recorder([], 'x', true));
    several.own(recorder([], 'y', true));
    assert.throws(
      () => several.dispose(),
      (error: unknown) => error instanceof AggregateError && error.errors.length === 2,
    );
  });
});
