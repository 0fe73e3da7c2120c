import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { KeyedDebouncer } from '../../../src/common/debounce';

void describe('KeyedDebouncer', () => {
  void it('runs once per key, the delay after the last schedule; cancel and dispose drop pending runs', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const runs: string[] = [];
      const checks = new KeyedDebouncer(250);
      checks.schedule('a', () => runs.push('a1'));
      mock.timers.tick(200);
      checks.schedule('a', () => runs.push('a2'));
      checks.schedule('b', () => runs.push('b'));
      mock.timers.tick(200);
      assert.equal(runs.length, 0, 'a restarted its wait; b waits too');
      mock.timers.tick(50);
      assert.deepEqual(runs, ['a2', 'b']);
      checks.schedule('a', () => runs.push('a3'));
      checks.cancel('a');
      checks.schedule('c', () => runs.push('c'));
      checks.dispose();
      mock.timers.tick(1_000);
      assert.deepEqual(runs, ['a2', 'b']);
    } finally {
      mock.timers.reset();
    }
  });
});
