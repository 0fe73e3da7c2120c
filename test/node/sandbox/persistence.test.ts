/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- assertions walk parsed JSON bodies and data files */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as net from 'node:net';
import { DataFileInUseError, startSandbox } from '../../../sandbox/index';
import { assertProblem, assertStartRefused, CLI_ARGS, exited, runCli, send, tokenFor, withSandbox, type Json } from './helpers';

void describe('sandbox persistence and CLI', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sandbox-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void test('data file is created, reloaded, and untouched by rejected writes', async () => {
    const file = path.join(dir, 'nested', 'crm.json');
    let { sb, c } = await withSandbox({ dataFile: file });
    assert.ok(fs.existsSync(file), 'created at start');
    const person = await c.post('/contacts', { name: 'Persisted Person' });
    const phone = await c.post('/customers/10000001/contacts', { type: 'Phone', value: '2125550123' });
    assert.equal((await c.patch('/customers/10000002', { name: 'Persisted Name' })).status, 200);
    const bytes = fs.readFileSync(file);
    assert.equal((await c.post('/contacts', { name: 5 })).status, 400);
    assert.equal((await c.post('/customers/10000001/contacts', { type: 'Phone', value: '2125550123' })).status, 409);
    assert.deepEqual(fs.readFileSync(file), bytes, 'failed writes do not touch the file');
    await sb.close();

    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      assert.equal((await c.get(`/contacts/${person.body.id as string}`)).body.name, 'Persisted Person');
      const cc = (await c.get('/customers/10000001/contacts')).body.data as Array<{ id: number }>;
      assert.ok(cc.some((x) => x.id === phone.body.id));
      assert.equal((await c.get('/customers/10000002')).body.name, 'Persisted Name');
      const again = await c.post('/contacts', { name: 'Second' });
      assert.notEqual(again.body.id, person.body.id);
    } finally {
      await sb.close();
    }
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['crm.json'], 'no temp files left behind');
  });

  void test('a corrupt data file is refused, not overwritten', async () => {
    const file = path.join(dir, 'corrupt.json');
    fs.writeFileSync(file, '{"not":"ours"}');
    await assert.rejects(startSandbox({ dataFile: file }));
    assert.equal(fs.readFileSync(file, 'utf8'), '{"not":"ours"}');
  });

  void test('a data file whose settings break the flag limits, or whose content is malformed, is refused and kept', async () => {
    const good = path.join(dir, 'good.json');
    const { sb, c } = await withSandbox({ dataFile: good });
    const person = (await c.post('/contacts', { name: 'Kept' })).body.id as string;
    await c.post(`/contacts/${person}/contact-methods`, { type: 'Email', value: 'kept@example.com' });
    await c.post('/customers/10000001/contacts', { type: 'Phone', value: '2125550199' });
    await c.patch('/customers/10000002', { name: 'Renamed' });
    await sb.close();
    const valid: Json = JSON.parse(fs.readFileSync(good, 'utf8'));
    const cases: Array<[string, (d: Json) => void, RegExp]> = [
      [
        'too many customers',
        (d) => {
          d.customers = 2_000_000;
        },
        /customers: .*1000000/,
      ],
      [
        'negative seed',
        (d) => {
          d.seed = -1;
        },
        /seed: .*between 0 and/,
      ],
      [
        'fractional seed',
        (d) => {
          d.seed = 1.5;
        },
        /seed/,
      ],
      [
        'a tenant that is not a number',
        (d) => {
          d.tenant = 'abc';
        },
        /tenant/,
      ],
      [
        'a wrong type',
        (d) => {
          d.people[0].name = 5;
        },
        /people\.0\.name/,
      ],
      [
        'a missing list',
        (d) => {
          delete d.methods;
        },
        /methods/,
      ],
      [
        'a null latitude',
        (d) => {
          d.customerRecords[0].address.latitude = null;
        },
        /customerRecords\.0\.address\.latitude/,
      ],
      [
        'a nextId that created ids reach',
        (d) => {
          d.nextId = 100_000_000;
        },
        /not below nextId/,
      ],
      [
        'a person stored twice',
        (d) => {
          d.people.push({ ...d.people[0] });
        },
        /stored twice/,
      ],
      [
        'a method under the wrong contact',
        (d) => {
          d.methods[0][1][0].contactId = '00000000-0000-4000-8000-000000000000';
        },
        /contactId/,
      ],
      [
        'a contact id that collides',
        (d) => {
          d.customerContacts.push([10000003, [...d.customerContacts[0][1]]]);
        },
        /also at/,
      ],
      [
        'a created customer without a record',
        (d) => {
          d.createdCustomerIds.push(100000050);
          d.nextId = 100000051;
        },
        /no record/,
      ],
      [
        'an unknown customer override',
        (d) => {
          d.customerRecords[0].id = 99;
        },
        /neither a seeded customer/,
      ],
      // At 2^53 - 1 a revocation's generation + 1 stops being a new number.
      [
        'a token generation revocations cannot count up from',
        (d) => {
          d.tokenGeneration = Number.MAX_SAFE_INTEGER;
        },
        /tokenGeneration: Too big: expected number to be <=281474976710656/,
      ],
    ];
    for (const [name, mutate, message] of cases) {
      const file = path.join(dir, 'bad.json');
      const data: Json = structuredClone(valid);
      mutate(data);
      const text = JSON.stringify(data);
      fs.writeFileSync(file, text);
      const refusal = await assertStartRefused(
        startSandbox({ dataFile: file }),
        /is not a valid CRM sandbox data file, so it was not loaded \(and will not be overwritten\)/,
        name,
      );
      assert.match(refusal.message, message, name);
      assert.equal(fs.readFileSync(file, 'utf8'), text, `${name}: the file is untouched`);
    }
    fs.writeFileSync(path.join(dir, 'torn.json'), '{"format":"stcrm-sandbox",');
    await assert.rejects(startSandbox({ dataFile: path.join(dir, 'torn.json') }), /torn\.json is not valid JSON .* will not be overwritten/);
    // The flags enforce the same limits.
    await assert.rejects(startSandbox({ seed: -1 }), /seed must be an integer between 0 and 2147483647, got -1/);
    await assert.rejects(startSandbox({ customers: 1_000_001 }), /customers must be an integer between 0 and 1000000/);
    await assert.rejects(startSandbox({ tenant: '99999999999999999999' }), /tenant must be a positive int64/);
    await assert.rejects(startSandbox({ tokenLifetimeSeconds: -5 }), /tokenLifetimeSeconds/);
    // The untouched good file still loads.
    const again = await withSandbox({ dataFile: good });
    try {
      assert.equal((await again.c.get(`/contacts/${person}`)).body.name, 'Kept');
    } finally {
      await again.sb.close();
    }
  });

  void test("revocations survive a restart with a data file; without one, earlier runs' tokens are refused", async () => {
    const file = path.join(dir, 'revoke.json');
    let { sb, c } = await withSandbox({ dataFile: file });
    const revoked = await c.token();
    sb.revokeTokens();
    const issuedAfter = await c.token();
    await sb.close();
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      const r = await c.get('/customers?pageSize=1', { token: revoked });
      assertProblem(r, 401);
      assert.match(r.body.title as string, /revoked/, 'a revoked token stays revoked');
      assert.equal((await c.get('/customers?pageSize=1', { token: issuedAfter })).status, 200, 'a token issued after the revocation stays valid');
      // The admin route persists too.
      const admin = await send(`${sb.url}/__sandbox/revoke-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(admin.status, 200);
    } finally {
      await sb.close();
    }
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      assertProblem(await c.get('/customers?pageSize=1', { token: issuedAfter }), 401);
      assert.equal((await c.get('/customers?pageSize=1')).status, 200, 'a new token works');
    } finally {
      await sb.close();
    }

    // Without a data file a restart cannot know what was revoked, so no earlier token is accepted.
    ({ sb, c } = await withSandbox());
    const before = await c.token();
    sb.revokeTokens();
    const after1 = await c.token();
    assertProblem(await c.get('/customers?pageSize=1', { token: before }), 401);
    assert.equal((await c.get('/customers?pageSize=1', { token: after1 })).status, 200);
    await sb.close();
    ({ sb, c } = await withSandbox());
    try {
      for (const token of [before, after1]) {
        const r = await c.get('/customers?pageSize=1', { token });
        assertProblem(r, 401);
        assert.match(r.body.title as string, /revoked/);
        assert.match(r.headers.get('www-authenticate') ?? '', /earlier run/);
      }
      assert.equal((await c.get('/customers?pageSize=1')).status, 200);
    } finally {
      await sb.close();
    }
  });

  void test('CLI refuses flags beyond the limits as usage errors (exit 2), saying which', async () => {
    for (const [args, says] of [
      [['--seed', '-1'], /^seed must be an integer between 0 and \d+, got -1 \(see --help\)$/m],
      [['--customers', '1000001'], /^customers must be an integer between 0 and 1000000, got 1000001 \(see --help\)$/m],
      [['--tenant', 'abc'], /^tenant must be a positive int64 number such as 1000, got 'abc' \(see --help\)$/m],
      [['--fault', 'kind=reset,path=^(a+)+$'], /path '\^\(a\+\)\+\$' is not valid/],
    ] as const) {
      const proc = spawn(process.execPath, [...CLI_ARGS, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      // A CLI that accepted the flags would listen forever.
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited(proc);
      clearTimeout(timer);
      assert.equal(code, 2, `${args.join(' ')}: exit ${String(code)}, ${err}`);
      assert.match(err, says, args.join(' '));
    }
  });

  void test('CLI prints the listening line and credentials, stops cleanly on SIGTERM', async () => {
    const child = await runCli(['--port', '0', '--customers', '5', '--tenant', '4242', '--app-key', 'k1']);
    const out = child.stdout();
    assert.match(out, /^CRM sandbox listening on http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(out, /4242/);
    assert.match(out, /sandbox-client/);
    assert.match(out, /k1/);
    assert.match(out, /sandbox-readonly-client/);
    const token = await tokenFor(child.url);
    const r = await send(`${child.url}/crm/v2/tenant/4242/customers?includeTotal=true&active=Any`, { headers: { authorization: token, 'st-app-key': 'k1' } });
    assert.equal(r.body.totalCount, 5);
    child.proc.kill('SIGTERM');
    assert.equal(await exited(child.proc), 0);
  });

  void test('a data file keeps its seed and customer count: the CLI and the log option say which ones asked for are not used', async () => {
    const file = path.join(dir, 'seeded.json');
    const created = await runCli(['--customers', '5', '--seed', '3', '--data', file]);
    assert.match(created.stdout(), /^ {2}seeded data: {10}seed 3, 5 customers\n/m);
    created.proc.kill('SIGTERM');
    assert.equal(await exited(created.proc), 0);

    const reopened = await runCli(['--customers', '20', '--seed', '3', '--data', file]);
    try {
      assert.match(reopened.stdout(), /^ {2}seeded data: {10}seed 3, 5 customers \(the data file's: --customers 20 is not used\)$/m);
      const token = await tokenFor(reopened.url);
      const r = await send(`${reopened.url}/crm/v2/tenant/1000/customers?includeTotal=true&active=Any`, {
        headers: { authorization: token, 'st-app-key': 'sandbox-app-key' },
      });
      assert.equal(r.body.totalCount, 5);
    } finally {
      reopened.proc.kill('SIGTERM');
      await exited(reopened.proc);
    }

    const logged: string[] = [];
    const both = await startSandbox({ dataFile: file, seed: 9, customers: 20, log: (line) => logged.push(line) });
    assert.deepEqual([both.seed, both.customers], [3, 5]);
    await both.close();
    assert.deepEqual(
      logged.filter((line) => line.includes('seeded with')),
      [
        `data file ${file} holds data seeded with seed 3 and 5 customers, which it keeps: seed 9 and 20 customers are not used (start with another data file for other seeded data)`,
      ],
    );
    // Nothing asked for, nothing to say.
    logged.length = 0;
    const plain = await startSandbox({ dataFile: file, log: (line) => logged.push(line) });
    await plain.close();
    assert.deepEqual(
      logged.filter((line) => line.includes('seeded with')),
      [],
    );
  });

  void test('CLI --fault flag applies', async () => {
    const child = await runCli(['--customers', '5', '--fault', 'kind=error5xx,path=/customers,status=502,count=1']);
    try {
      const token = await tokenFor(child.url);
      const h = { authorization: `Bearer ${token}`, 'st-app-key': 'sandbox-app-key' };
      assert.equal((await send(`${child.url}/crm/v2/tenant/1000/customers`, { headers: h })).status, 502);
      assert.equal((await send(`${child.url}/crm/v2/tenant/1000/customers`, { headers: h })).status, 200);
    } finally {
      child.proc.kill('SIGTERM');
      await exited(child.proc);
    }
  });

  void test('a second sandbox on a data file in use refuses to start, naming the pid that holds it; the first loses nothing', async () => {
    const file = path.join(dir, 'shared.json');
    const first = await runCli(['--customers', '20', '--data', file]);
    const pid = first.proc.pid ?? 0;
    const refusal = new RegExp(
      `shared\\.json is in use by another sandbox \\(pid ${pid}, started [^;]+; lock file .*shared\\.json\\.lock\\)\\. ` +
        `Stop the other sandbox with pid ${pid}, or pass another --data file\\. \\(If pid ${pid} is no sandbox, its number was reused after the sandbox died: remove .*shared\\.json\\.lock\\.\\)$`,
    );
    try {
      const lock = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8'));
      assert.deepEqual([lock.pid, lock.host, typeof lock.started], [pid, os.hostname(), 'string']);
      const headers = { authorization: `Bearer ${await tokenFor(first.url)}`, 'st-app-key': 'sandbox-app-key', 'content-type': 'application/json' };
      for (let n = 0; n < 50; n++) {
        // Tries to start a second sandbox on the file (as embedded use does) between the first one's writes.
        if (n % 10 === 0) {
          const error = await assertStartRefused(startSandbox({ dataFile: file }), refusal, `attempt before create ${n}`);
          assert.ok(error instanceof DataFileInUseError);
          assert.equal(error.holder?.pid, pid);
        }
        const r = await send(`${first.url}/crm/v2/tenant/1000/contacts`, { method: 'POST', headers, body: JSON.stringify({ name: `Shared ${n}` }) });
        assert.equal(r.status, 200, r.text);
      }
      // `npm run sandbox` on the same file says the same and exits 1.
      const second = spawn(process.execPath, [...CLI_ARGS, '--quiet', '--data', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      second.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const timer = setTimeout(() => second.kill('SIGKILL'), 10_000);
      const code = await exited(second);
      clearTimeout(timer);
      assert.equal(code, 1, err);
      assert.match(err.trim(), new RegExp(`^CRM sandbox failed to start: .*${refusal.source}`, 'm'));
    } finally {
      first.proc.kill('SIGINT');
    }
    assert.equal(await exited(first.proc), 0);
    assert.equal(fs.existsSync(`${file}.lock`), false, 'a stop on SIGINT releases the lock');
    const { sb, c } = await withSandbox({ dataFile: file });
    try {
      const names = ((await c.get('/contacts?pageSize=500')).body.data as Json[]).map((p) => p.name as string);
      const missing = Array.from({ length: 50 }, (_, n) => `Shared ${n}`).filter((name) => !names.includes(name));
      assert.deepEqual(missing, [], 'every acknowledged create is in the data file');
    } finally {
      await sb.close();
    }
  });

  void test('two sandboxes in one process: the second is refused until the first stops; a failed start gives the file back', async () => {
    const file = path.join(dir, 'one-process.json');
    const first = await withSandbox({ dataFile: file });
    try {
      const data = fs.readFileSync(file, 'utf8');
      const error = await assertStartRefused(
        startSandbox({ dataFile: file }),
        new RegExp(
          `one-process\\.json is in use by another sandbox \\(pid ${process.pid}, this process, started .*\\)\\. Close the other sandbox first \\(its close\\(\\)\\), or pass another data file\\.`,
        ),
      );
      assert.ok(error instanceof DataFileInUseError);
      assert.deepEqual([error.holder?.pid, error.holder?.host, error.lockFile], [process.pid, os.hostname(), `${file}.lock`]);
      assert.equal(fs.readFileSync(file, 'utf8'), data, 'the refused sandbox did not touch the file');
      assert.equal((await first.c.post('/contacts', { name: 'Still saved' })).status, 200);
    } finally {
      await first.sb.close();
    }
    assert.equal(fs.existsSync(`${file}.lock`), false, 'close() releases the lock');

    // A start that fails after taking the lock (its port is taken) gives it back.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    await assertStartRefused(startSandbox({ dataFile: file, port }), /EADDRINUSE/);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    assert.equal(fs.existsSync(`${file}.lock`), false, 'a failed start releases the lock');

    const second = await withSandbox({ dataFile: file });
    try {
      assert.equal(((await second.c.get('/contacts?pageSize=500')).body.data as Json[]).filter((p) => p.name === 'Still saved').length, 1);
    } finally {
      await second.sb.close();
    }
  });

  void test('a lock left by a process that no longer runs is taken over, saying so; one from another host, or naming no process, is refused', async () => {
    const file = path.join(dir, 'stale.json');
    const lockFile = `${file}.lock`;
    const dead = spawn(process.execPath, ['-e', '']);
    await exited(dead);
    const deadPid = dead.pid ?? 0;
    fs.writeFileSync(lockFile, JSON.stringify({ pid: deadPid, host: os.hostname(), started: '2026-01-02T03:04:05.000Z' }));
    const logs: string[] = [];
    const { sb, c } = await withSandbox({ dataFile: file, log: (l) => logs.push(l) });
    try {
      const took = `${lockFile}: took over the lock of pid ${deadPid} (started 2026-01-02T03:04:05.000Z), which no longer runs`;
      assert.ok(logs.includes(took), logs.join('\n'));
      assert.equal(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid, process.pid);
      assert.equal((await c.post('/contacts', { name: 'After the takeover' })).status, 200);
    } finally {
      await sb.close();
    }
    assert.equal(fs.existsSync(lockFile), false);
    const data = fs.readFileSync(file, 'utf8');

    // On another host the pid cannot be checked: the user decides.
    const remote = JSON.stringify({ pid: deadPid, host: 'other-machine', started: '2026-01-02T03:04:05.000Z' });
    fs.writeFileSync(lockFile, remote);
    await assertStartRefused(
      startSandbox({ dataFile: file }),
      new RegExp(
        `stale\\.json is in use by another sandbox \\(pid ${deadPid} on host other-machine, started 2026-01-02T03:04:05\\.000Z; ` +
          `lock file .*\\)\\. Stop the other sandbox with pid ${deadPid}, or pass another --data file\\. Whether it still runs cannot be checked from .*: if no sandbox runs there, remove .*stale\\.json\\.lock\\.`,
      ),
    );
    assert.equal(fs.readFileSync(lockFile, 'utf8'), remote);

    // A lock cut short, or a file that is no lock of ours, names no process: it is not taken over either.
    for (const text of [
      '',
      '{"pid":',
      `{"pid":"${deadPid}","host":"${os.hostname()}","started":"x"}`,
      `{"pid":${deadPid},"host":"a\\u001b[31m","started":"x"}`,
      'x'.repeat(100_000),
    ]) {
      fs.writeFileSync(lockFile, text);
      await assertStartRefused(
        startSandbox({ dataFile: file }),
        /stale\.json may be in use by another sandbox: .*stale\.json\.lock exists but does not say which process holds it .*If no sandbox uses this data file, remove the lock file; otherwise stop that sandbox, or pass another --data file\./,
        text.slice(0, 40),
      );
      assert.equal(fs.readFileSync(lockFile, 'utf8'), text);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), data, 'no refused start touched the data file');
    fs.rmSync(lockFile);
  });

  void test('SIGKILL during thousands of writes, also mid-compaction, never corrupts the data or loses an acknowledged write', async (t) => {
    // A killed process's writes survive in the page cache, so fsync is not what this tests: a
    // memory file system keeps it fast. Compactions are made frequent, so that kills hit them.
    const killDir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'crm-kill-'));
    const file = path.join(killDir, 'killed.json');
    const env = { STCRM_SANDBOX_COMPACT_BYTES: String(32 * 1024) };
    /** Per record path: the last acknowledged name, and the one in flight when the process died. */
    const expected = new Map<string, { acked: string; inFlight?: string }>();
    const people: string[][] = [[], [], [], []];
    let writes = 0;
    const kills = { afterWrites: 0, atCompaction: 0, leftTemp: 0, journalIncluded: 0 };
    const rounds: number[] = [];
    try {
      for (let round = 0; writes < 3000; round++) {
        const child = await runCli(['--customers', '20', '--data', file], env);
        const headers = { authorization: `Bearer ${await tokenFor(child.url)}`, 'st-app-key': 'sandbox-app-key', 'content-type': 'application/json' };
        let stopped = false;
        const kill = (): void => {
          if (!stopped) {
            stopped = true;
            child.proc.kill('SIGKILL');
          }
        };
        // Even rounds die after some hundreds of writes; odd ones as soon as a compaction writes its
        // temp file, once they have made a few writes.
        const roundStart = writes;
        const killAfter = round % 2 === 0 ? 400 + ((round * 173) % 500) : 2000;
        const watcher =
          round % 2 === 1
            ? fs.watch(killDir, (_event, name) => {
                if (name?.endsWith('.tmp') && !stopped && writes - roundStart > 100) {
                  kills.atCompaction++;
                  kill();
                }
              })
            : undefined;
        const worker = async (w: number): Promise<void> => {
          const mine = people[w] as string[];
          for (let n = 0; !stopped; n++) {
            // Creates, renames of this worker's people and of its own seeded customer.
            const kind = mine.length === 0 ? 0 : n % 3;
            // Long values make FILE big enough that a compaction takes a while: the kills land in it.
            const name = `w${w} r${round} #${n} `.padEnd(255, 'x');
            const target = kind === 0 ? '/contacts' : kind === 1 ? `/contacts/${mine[n % mine.length] ?? ''}` : `/customers/${10_000_000 + w}`;
            const body = kind === 0 ? { name, title: 't'.repeat(100), referenceId: 'r'.repeat(100) } : kind === 1 ? { name, isArchived: false } : { name };
            let r: Awaited<ReturnType<typeof send>>;
            try {
              r = await send(`${child.url}/crm/v2/tenant/1000${target}`, { method: kind === 0 ? 'POST' : 'PATCH', headers, body: JSON.stringify(body) });
            } catch (e) {
              if (!stopped) throw e;
              // Killed: this write was never acknowledged, though it may have been saved.
              const known = expected.get(target);
              if (known) known.inFlight = name;
              return;
            }
            if (r.status !== 200) {
              kill();
              assert.fail(`${target}: ${r.status} ${r.text}`);
            }
            writes++;
            const at = kind === 0 ? `/contacts/${r.body.id as string}` : target;
            if (kind === 0) mine.push(r.body.id as string);
            expected.set(at, { acked: name });
            if (writes - roundStart >= killAfter && !stopped) {
              kills.afterWrites++;
              kill();
            }
          }
        };
        try {
          await Promise.all([0, 1, 2, 3].map(worker));
        } finally {
          kill();
          watcher?.close();
          await exited(child.proc);
        }
        rounds.push(writes - roundStart);
        // Where the kill landed in a compaction, the files show it.
        if (fs.readdirSync(killDir).some((n) => n.endsWith('.tmp'))) kills.leftTemp++;
        const journal = `${file}.journal`;
        const first = fs.existsSync(journal) ? /^\{"seq":(\d+)/.exec(fs.readFileSync(journal, 'utf8'))?.[1] : undefined;
        if (first !== undefined && Number(first) <= (JSON.parse(fs.readFileSync(file, 'utf8')).journalSeq as number)) kills.journalIncluded++;
      }
      t.diagnostic(
        `${writes} writes in ${rounds.length} runs (${rounds.join(', ')}); kills after writes: ${kills.afterWrites}, as a compaction started: ${kills.atCompaction} ` +
          `(temp file left: ${kills.leftTemp}, FILE written but the journal not yet deleted: ${kills.journalIncluded})`,
      );
      assert.ok(writes >= 3000);
      const { sb, c } = await withSandbox({ dataFile: file });
      try {
        const names = new Map<string, string>();
        for (const p of (await c.get('/contacts?pageSize=5000')).body.data as Json[]) names.set(`/contacts/${p.id as string}`, p.name as string);
        for (const cust of (await c.get('/customers?pageSize=50&active=Any')).body.data as Json[])
          names.set(`/customers/${cust.id as number}`, cust.name as string);
        const lost = [...expected].filter(([at, e]) => names.get(at) !== e.acked && (e.inFlight === undefined || names.get(at) !== e.inFlight));
        assert.deepEqual(
          lost.slice(0, 5).map(([at, e]) => `${at}: ${names.get(at)?.slice(0, 20) ?? 'missing'}, acknowledged ${e.acked.slice(0, 20)}`),
          [],
          `${lost.length} of ${expected.size} acknowledged writes lost`,
        );
      } finally {
        await sb.close();
      }
    } finally {
      fs.rmSync(killDir, { recursive: true, force: true });
    }
  });
  void test('the 2026 state (notes, tags, locations, technicians, preferences, deleted contacts) survives a restart', async () => {
    const file = path.join(dir, 'crm-2026.json');
    let { sb, c } = await withSandbox({ dataFile: file });
    const note = await c.post('/customers/10000001/notes', { text: 'Persisted note', pinToTop: true });
    const lnote = await c.post('/locations/30000002/notes', { text: 'Persisted location note' });
    assert.equal((await c.post('/customers/10000001/tags/118')).status, 200);
    assert.equal((await c.put('/tags', { customerIds: [10000003], tagTypeIds: [119] })).status, 200);
    const loc = await c.post('/locations', {
      customerId: 10000001,
      name: 'Persisted Site',
      address: { street: '3 Keep Ln', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
    });
    assert.equal(loc.status, 200, loc.text);
    assert.equal((await c.post(`/locations/${loc.body.id as number}/preferredtechnician/2011`)).status, 200);
    const person = ((await c.get('/contacts?pageSize=1')).body.data as Json[])[0];
    const method = ((await c.get(`/contacts/${person.id as string}/contact-methods`)).body.data as Json[])[0];
    const prefs = `/contacts/${person.id as string}/contact-methods/${method.id as string}/preferences`;
    assert.equal((await c.patch(`${prefs}/JobReminders`, { value: 'false' })).status, 200);
    const contacts = (await c.get('/customers/10000002/contacts')).body.data as Json[];
    assert.ok(contacts.length > 0);
    assert.equal((await c.del(`/customers/10000002/contacts/${contacts[0].id as number}`)).status, 200);
    const before = sb.snapshot();
    await sb.close();

    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      assert.deepEqual(JSON.parse(sb.snapshot()), JSON.parse(before), 'the data file reloads to the same state');
      assert.ok(((await c.get('/customers/10000001/notes')).body.data as Json[]).some((n: Json) => n.id === note.body.id));
      assert.ok(((await c.get('/locations/30000002/notes')).body.data as Json[]).some((n: Json) => n.id === lnote.body.id));
      assert.ok(((await c.get('/customers/10000001')).body.tagTypeIds as number[]).includes(118));
      assert.ok(((await c.get('/customers/10000003')).body.tagTypeIds as number[]).includes(119));
      assert.equal((await c.get(`/locations/${loc.body.id as number}`)).body.name, 'Persisted Site');
      assert.equal((await c.get(`/locations/${loc.body.id as number}/preferredtechnician`)).body, 2011);
      assert.equal((await c.get(`${prefs}/JobReminders`)).body.value, 'false');
      const exported: Json[] = [];
      let from = '';
      for (;;) {
        const r = await c.get(`/export/customers/contacts${from ? `?from=${encodeURIComponent(from)}` : ''}`);
        exported.push(...(r.body.data as Json[]));
        from = r.body.continueFrom as string;
        if (!r.body.hasMore) break;
      }
      assert.deepEqual(
        exported.filter((x: Json) => x.id === contacts[0].id).map((x: Json) => x.active),
        [false],
      );
    } finally {
      await sb.close();
    }
  });

  void test('a data file written before the 2026 fields still loads', async () => {
    const file = path.join(dir, 'crm-2025.json');
    let { sb, c } = await withSandbox({ dataFile: file });
    assert.equal((await c.patch('/customers/10000002', { name: 'Old File' })).status, 200);
    const created = await c.post('/customers/10000001/contacts', { type: 'Email', value: 'old@example.com' });
    await sb.close();
    // Strip what the 2026 document added, as a file of the previous release would look.
    const old = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const k of [
      'revision',
      'changes',
      'deletedCustomerContacts',
      'deletedLocationContacts',
      'customerNotes',
      'locationNotes',
      'methodPreferences',
      'sales',
    ])
      delete old[k];
    for (const cust of old.customerRecords as Json[]) {
      delete cust.taxExempt;
      delete cust.nationalAccount;
    }
    for (const l of old.locationRecords as Json[]) delete l.taxExempt;
    fs.writeFileSync(file, JSON.stringify(old));
    ({ sb, c } = await withSandbox({ dataFile: file }));
    try {
      const cust = await c.get('/customers/10000002');
      assert.deepEqual([cust.body.name, cust.body.taxExempt, cust.body.nationalAccount], ['Old File', false, false]);
      // What the old file changed shows up in the export feeds once.
      const feed: Json[] = [];
      let from = '';
      for (;;) {
        const r = await c.get(`/export/customers/contacts${from ? `?from=${encodeURIComponent(from)}` : ''}`);
        feed.push(...(r.body.data as Json[]));
        from = r.body.continueFrom as string;
        if (!r.body.hasMore) break;
      }
      assert.equal(feed.filter((x: Json) => x.id === created.body.id).length, 1);
    } finally {
      await sb.close();
    }
  });
});
