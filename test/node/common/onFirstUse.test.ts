// The door to a lazily loaded part of the extension: one load however many callers, a failed
// load tried again, and what it made disposed with it (also when it arrives after disposal).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OnFirstUse } from '../../../src/common/onFirstUse';

class Part {
  disposed = 0;
  dispose(): void {
    this.disposed++;
  }
}

/** A load the test finishes by hand, counting how often it started. */
function manualLoad(): { load: () => Promise<Part>; starts: () => number; finish: (value: Part | Error) => void } {
  let starts = 0;
  let settle: (value: Part | Error) => void = () => undefined;
  return {
    load: () => {
      starts++;
      return new Promise<Part>((resolve, reject) => (settle = (value) => (value instanceof Error ? reject(value) : resolve(value))));
    },
    starts: () => starts,
    finish: (value) => settle(value),
  };
}

void describe('OnFirstUse', () => {
  void test('loads once for concurrent and later callers, and says what it made', async () => {
    const manual = manualLoad();
    const part = new OnFirstUse(manual.load);
    assert.equal(part.loaded, undefined, 'nothing is loaded before the first use');
    const first = part.get();
    const second = part.get();
    const made = new Part();
    manual.finish(made);
    assert.equal(await first, made);
    assert.equal(await second, made);
    assert.equal(await part.get(), made);
    assert.equal(manual.starts(), 1);
    assert.equal(part.loaded, made);
  });

  void test('a failed load rejects its callers and is tried again on the next use', async () => {
    const manual = manualLoad();
    const part = new OnFirstUse(manual.load);
    const failing = part.get();
    manual.finish(new Error('Cannot find module ./forms-host.js'));
    await assert.rejects(failing, /forms-host/);
    assert.equal(part.loaded, undefined);
    const retry = part.get();
    const made = new Part();
    manual.finish(made);
    assert.equal(await retry, made);
    assert.equal(manual.starts(), 2);
  });

  void test('disposes what it made, once; after that it loads nothing', async () => {
    const made = new Part();
    const part = new OnFirstUse(() => Promise.resolve(made));
    await part.get();
    part.dispose();
    part.dispose();
    assert.equal(made.disposed, 1);
    assert.equal(part.loaded, undefined);
    await assert.rejects(part.get(), /shutting down/);
  });

  void test('a load that finishes after disposal disposes what it made and rejects', async () => {
    const manual = manualLoad();
    const part = new OnFirstUse(manual.load);
    const pending = part.get();
    part.dispose();
    const made = new Part();
    manual.finish(made);
    await assert.rejects(pending, /shutting down/);
    assert.equal(made.disposed, 1);
  });

  void test('makes parts that own nothing to dispose', async () => {
    const part = new OnFirstUse(() => Promise.resolve({ creates: 'commands' }));
    assert.deepEqual(await part.get(), { creates: 'commands' });
    part.dispose();
  });
});
