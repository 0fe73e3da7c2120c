// The sandbox's enforced rate limit (`rateLimitPerSecond`, `--rate-limit N`): a sliding second
// per app key and tenant, 429 + Retry-After + ApiErrorResponse beyond it, nothing processed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { startSandbox } from '../../../sandbox/index';
import { maxInWindow, SandboxRateLimiter } from '../../../sandbox/rateLimit';
import { assertProblem, CLI_ARGS, exited, runCli, send, tokenFor, withSandbox, type Json } from './helpers';

const customer = (name: string): Json => ({
  name,
  type: 'Residential',
  address: { street: '1 Test Way', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
  locations: [{ name: `${name} home`, address: { street: '1 Test Way', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' } }],
});

/** A clock that moves only when told to. */
function manualClock(): { now: () => number; set: (t: number) => void } {
  let t = 0;
  return {
    now: () => t,
    set: (value) => {
      t = value;
    },
  };
}

void describe('sandbox rate limit', () => {
  void test('off by default: no limit, no rateLimit handle', async () => {
    const { sb, c } = await withSandbox();
    try {
      assert.equal(sb.rateLimit, undefined);
      const replies = await Promise.all(Array.from({ length: 80 }, () => c.get('/customers?pageSize=1')));
      assert.deepEqual(
        replies.filter((r) => r.status !== 200).map((r) => r.status),
        [],
      );
    } finally {
      await sb.close();
    }
  });

  void test('over the limit: 429 with Retry-After and an ApiErrorResponse, and the call is not processed', async () => {
    const { sb, c } = await withSandbox({ rateLimitPerSecond: 3 });
    try {
      await c.token();
      const ok = await Promise.all(Array.from({ length: 3 }, () => c.get('/customers?pageSize=1')));
      assert.deepEqual(
        ok.map((r) => r.status),
        [200, 200, 200],
      );

      const before = sb.snapshot();
      const rejected = await c.post('/customers', customer('Never Created'));
      assertProblem(rejected, 429);
      assert.equal(rejected.headers.get('retry-after'), '1', 'whole seconds, at least 1: the window frees within the second');
      assert.match((rejected.body as { title: string }).title, /Too Many Requests/);
      assert.equal(sb.snapshot(), before, 'a rejected write changes nothing');
      // A read is refused the same way; the rejected calls did not use the window.
      assertProblem(await c.get('/customers?pageSize=1'), 429);
      assert.deepEqual(sb.rateLimit?.stats(), { limit: 3, accepted: 3, rejected: 2, maxInAnyWindow: 5, keys: 1 });
      assert.equal(sb.stats().apiRequests, 5, 'rejected calls are still API requests in the sandbox stats');

      // After Retry-After the window has moved on: the write goes through.
      await new Promise((resolve) => setTimeout(resolve, Number(rejected.headers.get('retry-after')) * 1000));
      const created = await c.post('/customers', customer('Created Later'));
      assert.equal(created.status, 200, created.text);
      assert.notEqual(sb.snapshot(), before);
      assert.equal(sb.rateLimit?.acceptedTimes().length, 4);
    } finally {
      await sb.close();
    }
  });

  void test('counted per app key and tenant; the query-string app key is the same key as the header', async () => {
    const { sb, c } = await withSandbox({ rateLimitPerSecond: 2 });
    try {
      const token = await c.token();
      assert.equal((await c.get('/customers?pageSize=1')).status, 200);
      const viaQuery = await c.get(`/customers?pageSize=1&ServiceTitanApplicationKey=${sb.credentials.appKey}`, { appKey: null });
      assert.equal(viaQuery.status, 200, viaQuery.text);
      assertProblem(await c.get('/customers?pageSize=1'), 429);
      assertProblem(await c.get(`/customers?pageSize=1&servicetitanapplicationkey=${sb.credentials.appKey}`, { appKey: null }), 429);

      // Another app key has its own window: it is refused as an unknown key (401), not limited.
      const other = await c.get('/customers?pageSize=1', { appKey: 'another-app-key' });
      assertProblem(other, 401);
      // Another tenant has its own window too (this token is not for it: 401/403, not 429).
      const otherTenant = await send(`${sb.url}/crm/v2/tenant/2000/customers?pageSize=1`, {
        headers: { authorization: `Bearer ${token}`, 'st-app-key': sb.credentials.appKey },
      });
      assert.notEqual(otherTenant.status, 429, otherTenant.text);
      assert.equal(sb.rateLimit?.stats().keys, 3);
      assert.equal(sb.rateLimit?.stats().rejected, 2);
    } finally {
      await sb.close();
    }
  });

  void test('the token endpoint and the admin routes are not counted', async () => {
    const { sb, c } = await withSandbox({ rateLimitPerSecond: 2 });
    try {
      for (let i = 0; i < 5; i++) await c.token();
      assert.equal((await send(`${sb.url}/__sandbox/stats`, {})).status, 200);
      assert.equal(sb.rateLimit?.stats().accepted, 0);
      assert.equal((await c.get('/customers?pageSize=1')).status, 200);
      assert.equal((await c.get('/customers?pageSize=1')).status, 200);
      assertProblem(await c.get('/customers?pageSize=1'), 429);
      // The window is full, yet tokens and admin routes still answer.
      c.forgetToken();
      await c.token();
      assert.equal((await send(`${sb.url}/__sandbox/stats`, {})).status, 200);
      assert.deepEqual(sb.rateLimit?.stats(), { limit: 2, accepted: 2, rejected: 1, maxInAnyWindow: 3, keys: 1 });
      sb.rateLimit?.reset();
      assert.deepEqual(sb.rateLimit?.stats(), { limit: 2, accepted: 0, rejected: 0, maxInAnyWindow: 0, keys: 0 });
      assert.equal((await c.get('/customers?pageSize=1')).status, 200, 'a reset starts from an empty window');
    } finally {
      await sb.close();
    }
  });

  void test('rateLimitPerSecond must be a whole number from 1 to 10000 (0 is off)', async () => {
    for (const value of [1.5, -1, 10_001, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(
        startSandbox({ rateLimitPerSecond: value }),
        /rateLimitPerSecond must be a whole number of calls per second between 1 and 10000/,
        String(value),
      );
    }
    const off = await startSandbox({ rateLimitPerSecond: 0 });
    assert.equal(off.rateLimit, undefined);
    await off.close();
    const max = await startSandbox({ rateLimitPerSecond: 10_000 });
    assert.equal(max.rateLimit?.stats().limit, 10_000);
    await max.close();
  });

  void test('CLI: --rate-limit takes calls per second; a probability points to --429-rate', async () => {
    for (const [args, pattern] of [
      [
        ['--rate-limit', '0.2'],
        /--rate-limit needs a whole number of calls per second from 1 to 10000, or 0 for no limit, got '0\.2' \(for random 429s with probability 0\.2 use --429-rate 0\.2\)/,
      ],
      [['--rate-limit', '10001'], /--rate-limit needs a whole number of calls per second from 1 to 10000, or 0 for no limit, got '10001' \(see --help\)$/m],
      [['--rate-limit', '-1'], /--rate-limit needs a whole number of calls per second from 1 to 10000, or 0 for no limit, got '-1' \(see --help\)$/m],
    ] as const) {
      const proc = spawn(process.execPath, [...CLI_ARGS, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
      clearTimeout(timer);
      assert.equal(code, 2, err);
      assert.match(err, pattern);
    }
    const help = spawn(process.execPath, [...CLI_ARGS, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    help.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await new Promise((resolve) => help.once('exit', resolve));
    assert.match(out, /--rate-limit N {9}enforce ServiceTitan's limit/);
    assert.match(out, /--429-rate P {11}answer API calls 429/);
  });
});

void describe('sandbox rate limit on the command line', () => {
  void test('CLI: --rate-limit 0 is off, like rateLimitPerSecond 0; --rate-limit 1 limits', async () => {
    const calls = async (url: string): Promise<number[]> => {
      const headers = { authorization: `Bearer ${await tokenFor(url)}`, 'st-app-key': 'sandbox-app-key' };
      const replies = await Promise.all(Array.from({ length: 5 }, () => send(`${url}/crm/v2/tenant/1000/customers?pageSize=1`, { headers })));
      return replies.map((r) => r.status);
    };
    const off = await runCli(['--customers', '5', '--rate-limit', '0']);
    try {
      assert.doesNotMatch(off.stdout(), /rate limit:/);
      assert.deepEqual(await calls(off.url), [200, 200, 200, 200, 200]);
    } finally {
      off.proc.kill('SIGTERM');
      await exited(off.proc);
    }
    const one = await runCli(['--customers', '5', '--rate-limit', '1']);
    try {
      assert.match(one.stdout(), /^ {2}rate limit: {11}1 calls\/s per app key and tenant \(429 beyond\)$/m);
      assert.ok((await calls(one.url)).includes(429));
    } finally {
      one.proc.kill('SIGTERM');
      await exited(one.proc);
    }
  });
});

void describe('SandboxRateLimiter (virtual clock)', () => {
  void test('a sliding second: accepted calls leave it a full second after they arrived', () => {
    const clock = manualClock();
    const limiter = new SandboxRateLimiter(3, clock.now);
    for (const t of [0, 10, 20]) {
      clock.set(t);
      assert.deepEqual(limiter.admit('k', '1'), { ok: true });
    }
    clock.set(500);
    assert.deepEqual(limiter.admit('k', '1'), { ok: false, retryAfterSeconds: 1 });
    clock.set(999.9);
    assert.deepEqual(limiter.admit('k', '1'), { ok: false, retryAfterSeconds: 1 });
    // At 1000 the call of 0 is a full second old: one slot, and only one.
    clock.set(1000);
    assert.deepEqual(limiter.admit('k', '1'), { ok: true });
    assert.equal(limiter.admit('k', '1').ok, false);
    clock.set(1010);
    assert.equal(limiter.admit('k', '1').ok, true);
    assert.equal(maxInWindow(limiter.acceptedTimes()), 3);
    assert.deepEqual(limiter.acceptedTimes(), [0, 10, 20, 1000, 1010]);
    // Arrivals in (0, 1000], rejected ones included: 10, 20, 500, 999.9 and two at 1000.
    assert.equal(limiter.stats().maxInAnyWindow, 6);
  });

  void test('rejected calls do not use the window, however many there are', () => {
    const clock = manualClock();
    const limiter = new SandboxRateLimiter(2, clock.now);
    limiter.admit('k', '1');
    limiter.admit('k', '1');
    for (let t = 1; t < 1000; t += 1) {
      clock.set(t);
      assert.equal(limiter.admit('k', '1').ok, false);
    }
    clock.set(1000);
    assert.equal(limiter.admit('k', '1').ok, true, 'free again one second after the accepted calls');
    assert.equal(limiter.admit('k', '1').ok, true);
    assert.deepEqual({ ...limiter.stats(), maxInAnyWindow: 0 }, { limit: 2, accepted: 4, rejected: 999, maxInAnyWindow: 0, keys: 1 });
  });

  void test('keys are separate and idle ones are forgotten', () => {
    const clock = manualClock();
    const limiter = new SandboxRateLimiter(1, clock.now);
    for (let i = 0; i < 200; i++) assert.equal(limiter.admit(`key-${i}`, '1').ok, true);
    assert.equal(limiter.admit('key-0', '2').ok, true, 'another tenant');
    assert.equal(limiter.admit('key-0', '1').ok, false);
    assert.equal(limiter.stats().keys, 201);
    clock.set(5000);
    // New keys trigger sweeps of the idle ones: the map stays bounded.
    for (let i = 0; i < 200; i++) limiter.admit(`new-${i}`, '1');
    assert.ok(limiter.stats().keys <= 200, `${limiter.stats().keys} keys remembered`);
    assert.equal(limiter.admit('key-0', '1').ok, true);
  });

  void test('maxInWindow counts the busiest rolling second, open at its start', () => {
    assert.equal(maxInWindow([]), 0);
    assert.equal(maxInWindow([0, 999, 1000, 1999]), 2);
    assert.equal(maxInWindow([0, 1, 2, 1001, 1002]), 3);
    assert.equal(maxInWindow([0, 500, 999.5, 1000]), 3);
  });

  void test('a window holds up to the limit even when it is large (the ring grows)', () => {
    const clock = manualClock();
    const limiter = new SandboxRateLimiter(5000, clock.now);
    let accepted = 0;
    for (let i = 0; i < 6000; i++) {
      clock.set(i / 10);
      if (limiter.admit('k', '1').ok) accepted++;
    }
    assert.equal(accepted, 5000);
    assert.equal(limiter.stats().maxInAnyWindow, 6000);
  });
});
