import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { tooDeepAt } from '../../../src/api/jsonDepth';

/** The rule written plainly, character by character: what tooDeepAt must answer, faster. */
function reference(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22 || c === 0x0a) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth = Math.max(0, depth - 1);
  }
  return -1;
}

void describe('tooDeepAt', () => {
  void it('finds the first bracket nested too deep, skipping strings, escapes and line feeds as the plain rule does', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', '"', '\\', '\n', 'a', ':', ',', '\\"', '"[', '["');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 0, max: 6 }), (pieces, maxDepth) => {
        const text = pieces.join('');
        assert.equal(tooDeepAt(text, maxDepth), reference(text, maxDepth), JSON.stringify(text));
      }),
      { numRuns: 5_000 },
    );
  });

  void it('answers for real JSON: brackets inside strings do not count', () => {
    assert.equal(tooDeepAt(JSON.stringify({ a: '[[[[[[', b: ['x\\"[[['] }), 2), -1);
    const deep = '['.repeat(10) + ']'.repeat(10);
    assert.equal(tooDeepAt(deep, 9), 9);
    assert.equal(tooDeepAt(deep, 10), -1);
  });
});
