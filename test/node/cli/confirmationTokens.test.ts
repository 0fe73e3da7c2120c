// The MCP server's confirmation tokens (src/cli/confirmationTokens.ts), on a clock the test moves:
// random, single-use (any use spends one), bound to one request, expiring after two minutes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfirmationTokens, TOKEN_TTL_MS } from '../../../src/cli/confirmationTokens';

void describe('confirmation tokens', () => {
  void it('confirm the request they were issued for, once', () => {
    const tokens = new ConfirmationTokens(() => 0);
    const token = tokens.issue('request A');
    assert.match(token, /^[\w-]{24}$/);
    assert.notEqual(tokens.issue('request A'), token, 'random');
    assert.deepEqual(tokens.redeem(token, 'request A'), { ok: true });
    assert.match((tokens.redeem(token, 'request A') as { reason: string }).reason, /^this confirmationToken was already used \(each token works once\)$/);
    assert.match((tokens.redeem('made-up', 'request A') as { reason: string }).reason, /^this confirmationToken is unknown to this server/);
  });

  void it('refuse another request, and are spent by that try', () => {
    const tokens = new ConfirmationTokens(() => 0);
    const token = tokens.issue('request A');
    assert.match((tokens.redeem(token, 'request B') as { reason: string }).reason, /issued for a different request/);
    assert.equal(tokens.redeem(token, 'request A').ok, false);
  });

  void it('expire after two minutes', () => {
    let now = 1_000;
    const tokens = new ConfirmationTokens(() => now);
    const early = tokens.issue('request A');
    const late = tokens.issue('request A');
    now += TOKEN_TTL_MS - 1;
    assert.deepEqual(tokens.redeem(early, 'request A'), { ok: true });
    now += 1;
    assert.match((tokens.redeem(late, 'request A') as { reason: string }).reason, /expired \(tokens last 120 seconds\)/);
  });

  void it('say a token expired even after it was swept away, and never call an expired one unknown', () => {
    let now = 0;
    const tokens = new ConfirmationTokens(() => now);
    const old = tokens.issue('request A');
    now += TOKEN_TTL_MS + 1;
    tokens.issue('request B');
    assert.match((tokens.redeem(old, 'request A') as { reason: string }).reason, /^this confirmationToken expired \(tokens last 120 seconds\)$/);
  });

  void it('keep at most a hundred', () => {
    const tokens = new ConfirmationTokens(() => 0);
    const first = tokens.issue('r');
    for (let i = 0; i < 100; i++) tokens.issue('r');
    assert.match((tokens.redeem(first, 'r') as { reason: string }).reason, /expired early: more than 100 newer tokens/, 'the oldest went first');
  });
});
