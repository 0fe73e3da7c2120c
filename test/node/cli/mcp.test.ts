// `stcrm mcp` spawned as a child process (out/src/cli/main.js) and driven with the MCP SDK's own
// client over stdio: tools/list (read-only, and with --allow-writes), a read against a fresh
// sandbox, a write refused without --allow-writes, the two-call confirmation with its token (a
// reused token and one for other arguments refused), production writes refused without
// --allow-production-writes, every message and the stderr log free of the canary secrets, and
// nothing but protocol messages on stdout. An expired token is shown in-process, on a clock the test moves.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { toolInputJsonSchema } from '../../../src/agent/jsonSchemas';
import { CrmClient } from '../../../src/api/client';
import { customEnvironment } from '../../../src/api/environments';
import { createTransport } from '../../../src/api/transport';
import { ConfirmationTokens, TOKEN_TTL_MS } from '../../../src/cli/confirmationTokens';
import { createMcpServer } from '../../../src/cli/mcpServer';
import { CANARY, canaryLeaks, startHostileCrm } from '../../canarySecrets';

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'out/src/cli/main.js');

interface Session {
  client: Client;
  /** Every JSON-RPC message, both ways, as sent. */
  messages: string[];
  /** Transport errors: a line on stdout that is no protocol message would be one. */
  errors: Error[];
  stderr(): string;
  close(): Promise<void>;
}

/** Records every message `transport` sends and receives (call before `client.connect`). */
function record(transport: Transport, messages: string[], errors: Error[]): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    messages.push(JSON.stringify(message));
    return send(message, options);
  };
  const start = transport.start.bind(transport);
  transport.start = async () => {
    const onmessage = transport.onmessage;
    transport.onmessage = (message, extra) => {
      messages.push(JSON.stringify(message));
      onmessage?.(message, extra);
    };
    const onerror = transport.onerror;
    transport.onerror = (error) => {
      errors.push(error);
      onerror?.(error);
    };
    return start();
  };
}

/** `stcrm mcp <args>` with only `env` (no ST_* of this process), and a connected SDK client. */
async function spawnMcp(args: string[], env: Record<string, string> = {}): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const messages: string[] = [];
  const errors: Error[] = [];
  record(transport, messages, errors);
  const client = new Client({ name: 'stcrm-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, messages, errors, stderr: () => stderr, close: () => client.close() };
}

const texts = (result: unknown): string[] => (result as CallToolResult).content.map((part) => (part.type === 'text' ? part.text : ''));
const dataOf = <T>(result: unknown): T => JSON.parse(texts(result)[1] ?? 'null') as T;
const call = (session: Session, name: string, args: Record<string, unknown>) => session.client.callTool({ name, arguments: args });

/** The exit code, stdout and stderr of a `stcrm mcp` that stops by itself (usage problems). */
function runOnce(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'mcp', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const unique = (what: string): string => `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

void describe('stcrm mcp', { timeout: 120_000 }, () => {
  void it('exits 2 for a usage or configuration problem, saying what to fix, with nothing on stdout', async () => {
    const bogus = await runOnce(['--bogus']);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /^Unknown option --bogus\.\n\nUsage: stcrm mcp/);
    const production = await runOnce(['--sandbox', '--allow-production-writes']);
    assert.equal(production.code, 2);
    assert.match(production.stderr, /--allow-production-writes needs --allow-writes too/);
    const unconfigured = await runOnce([]);
    assert.equal(unconfigured.code, 2);
    assert.match(unconfigured.stderr, /Set ST_CLIENT_ID, ST_CLIENT_SECRET, ST_APP_KEY, ST_TENANT/);
    const tenant = await runOnce([], { ST_ENVIRONMENT: 'integration', ST_TENANT: '10.5', ST_CLIENT_ID: 'i', ST_CLIENT_SECRET: 's', ST_APP_KEY: 'k' });
    assert.equal(tenant.code, 2);
    assert.match(tenant.stderr, /^ST_TENANT must be the tenant ID: digits only/);
    assert.equal(bogus.stdout + production.stdout + unconfigured.stdout + tenant.stdout, '');
  });

  void it('answers input nested 5000 levels deep with a tool result saying the limit, and logs the call', async () => {
    // Raw JSON-RPC lines: the SDK client's own JSON.stringify cannot even send such a value.
    const child = spawn(process.execPath, [CLI, 'mcp', '--sandbox', '--allow-writes'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const answer = async (id: number): Promise<{ result?: CallToolResult; error?: unknown }> => {
      for (;;) {
        const line = stdout.split('\n').find((text) => text.includes(`"id":${id},`) || text.includes(`"id":${id}}`));
        if (line) return JSON.parse(line) as { result?: CallToolResult; error?: unknown };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    try {
      child.stdin.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
      );
      await answer(1);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const calls: [string, string][] = [
        ['stcrm_callOperation', `{"operation":"Contacts_Create","body":{"name":"Deep","nested":${deep}}}`],
        ['stcrm_createContact', `{"name":"Deep","contactMethods":${deep}}`],
        ['stcrm_findCustomers', `{"name":${deep}}`],
      ];
      for (const [index, [name, args]] of calls.entries()) {
        child.stdin.write(`{"jsonrpc":"2.0","id":${index + 2},"method":"tools/call","params":{"name":"${name}","arguments":${args}}}\n`);
        const { result, error } = await answer(index + 2);
        assert.equal(error, undefined, `${name}: ${JSON.stringify(error)}`);
        assert.equal(result?.isError, true, name);
        assert.match(texts(result)[0] ?? '', /nest more than 64 levels deep here; no CRM request nests that deep/, name);
        assert.match(stderr, new RegExp(`^${name}: answer \\(error\\) in \\d+ ms$`, 'm'));
      }
    } finally {
      child.stdin.end();
      await new Promise((resolve) => child.once('close', resolve));
    }
  });

  void describe('read-only, on a fresh sandbox', () => {
    let session: Session;
    before(async () => {
      session = await spawnMcp(['--sandbox']);
    });
    after(async () => {
      await session.close();
    });

    void it('lists the three reading tools with their JSON Schemas, and no confirmation token', async () => {
      const { tools } = await session.client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        ['stcrm_findCustomers', 'stcrm_getCustomer', 'stcrm_callOperation'],
      );
      assert.deepEqual(tools[0]?.inputSchema, toolInputJsonSchema('stcrm_findCustomers'));
      assert.deepEqual(tools[2]?.inputSchema, toolInputJsonSchema('stcrm_callOperation', { readOnly: true }));
      // Only the operations that read are offered, and nothing speaks of confirming writes.
      const operations = (tools[2]?.inputSchema.properties as { operation: { enum: string[] } }).operation.enum;
      assert.ok(operations.includes('Customers_GetList') && !operations.includes('Contacts_Create') && !operations.includes('Customers_CreateNote'));
      assert.match(tools[2]?.description ?? '', /Writes are off: this MCP server was started read-only \(restart it with --allow-writes to let it write\)\.$/);
      assert.doesNotMatch(tools[2]?.description ?? '', /confirm|POST/);
      assert.equal(tools[2]?.annotations?.readOnlyHint, true);
    });

    void it('reads: customers of the sandbox as compact rows, one customer with what surrounds it', async () => {
      const found = await call(session, 'stcrm_findCustomers', { pageSize: 3 });
      assert.equal(found.isError, undefined);
      assert.match(texts(found)[0] ?? '', /^\d+ customers found \(active only\)\. Page 1 holds 3\. There are more: call again with page 2\.$/);
      const rows = dataOf<{ customers: { id: number; name: string }[] }>(found).customers;
      assert.equal(rows.length, 3);
      const first = rows[0];
      assert.ok(first);
      const customer = await call(session, 'stcrm_getCustomer', { customerId: first.id });
      assert.equal(dataOf<{ customer: { name: string } }>(customer).customer.name, first.name);
      const bad = await call(session, 'stcrm_getCustomer', { customerId: 'one' });
      assert.equal(bad.isError, true);
      assert.match(texts(bad)[0] ?? '', /- customerId: /);
    });

    void it('refuses writes, sending nothing: an operation that changes data, and the write tool itself', async () => {
      const name = unique('Read Only');
      const refused = await call(session, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name } });
      assert.equal(refused.isError, true);
      assert.match(texts(refused)[0] ?? '', /Contacts_Create changes data, and this MCP server was started read-only \(restart it with --allow-writes/);
      const hidden = await call(session, 'stcrm_createContact', { name });
      assert.equal(hidden.isError, true);
      assert.match(texts(hidden)[0] ?? '', /stcrm_createContact is not available: it only writes, and this MCP server was started read-only/);
      const contacts = await call(session, 'stcrm_callOperation', { operation: 'Contacts_GetList', query: { name } });
      assert.deepEqual(dataOf<{ data: unknown[] }>(contacts).data, []);
    });

    void it('writes nothing but protocol messages on stdout, and its log on stderr', () => {
      assert.deepEqual(session.errors, []);
      assert.match(session.stderr(), /^stcrm mcp: serving Fresh sandbox, tenant 1000, read-only\.$/m);
      assert.match(session.stderr(), /^stcrm_findCustomers: read in \d+ ms$/m);
    });
  });

  void describe('with --allow-writes', () => {
    let session: Session;
    before(async () => {
      session = await spawnMcp(['--sandbox', '--allow-writes']);
    });
    after(async () => {
      await session.close();
    });

    const contactsNamed = async (name: string): Promise<{ id: string }[]> =>
      dataOf<{ data: { id: string }[] }>(await call(session, 'stcrm_callOperation', { operation: 'Contacts_GetList', query: { name } })).data;

    void it('lists the write tool, and a confirmationToken input on the tools that write', async () => {
      const { tools } = await session.client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        ['stcrm_findCustomers', 'stcrm_getCustomer', 'stcrm_callOperation', 'stcrm_createContact'],
      );
      const properties = (name: string) => Object.keys(tools.find((tool) => tool.name === name)?.inputSchema.properties ?? {});
      assert.ok(properties('stcrm_createContact').includes('confirmationToken'));
      assert.ok(properties('stcrm_callOperation').includes('confirmationToken'));
      assert.ok(!properties('stcrm_findCustomers').includes('confirmationToken'));
    });

    void it('a write is two calls: the exact request and a token first (nothing sent), then the token sends it', async () => {
      const name = unique('Two Calls');
      const args = { name, contactMethods: [{ type: 'Email', value: 'two.calls@example.com' }] };
      const first = await call(session, 'stcrm_createContact', args);
      assert.equal(first.isError, undefined);
      const [text] = texts(first);
      assert.match(
        text ?? '',
        /^Nothing was sent yet\. stcrm_createContact would send exactly this:\n\nSend "New Contact" to tenant 1000\?\nProfile "Fresh sandbox" · tenant 1000\n/,
      );
      assert.match(text ?? '', /POST http:\/\/127\.0\.0\.1:\d+\/crm\/v2\/tenant\/1000\/contacts\n\{"name":"Two Calls [^"]+"\}/);
      assert.match(text ?? '', /\{"type":"Email","value":"two\.calls@example\.com"\}/);
      const { confirmationToken, calls } = dataOf<{ confirmationToken: string; calls: { method: string }[] }>(first);
      assert.match(confirmationToken, /^[\w-]{24}$/);
      assert.deepEqual(
        calls.map((item) => item.method),
        ['POST', 'POST'],
      );
      assert.deepEqual(await contactsNamed(name), [], 'nothing was sent by the first call');

      const second = await call(session, 'stcrm_createContact', { ...args, confirmationToken });
      assert.equal(second.isError, undefined, texts(second)[0]);
      assert.match(texts(second)[0] ?? '', new RegExp(`^Created ${name} with 1 contact method\\. The new contact's id is [0-9a-f-]{36}\\.$`));
      assert.equal((await contactsNamed(name)).length, 1);

      const reused = await call(session, 'stcrm_createContact', { ...args, confirmationToken });
      assert.equal(reused.isError, true);
      assert.match(texts(reused)[0] ?? '', /nothing was sent: this confirmationToken was already used \(each token works once\)/);
      assert.equal((await contactsNamed(name)).length, 1, 'the reused token sent nothing');
    });

    void it('shows exactly what it sends (only known secrets masked), and reads CRM prose back as written', async () => {
      const customer = dataOf<{ customers: { id: number }[] }>(await call(session, 'stcrm_findCustomers', { pageSize: 1 })).customers[0];
      assert.ok(customer);
      const prose = 'Customer wants the Basic maintenance plan. Authorization: pending';
      const text = `${prose}. Old header: Bearer abcdef0123456789ghijkl`;
      const args = { operation: 'Customers_CreateNote', path: { id: customer.id }, body: { text } };
      const first = await call(session, 'stcrm_callOperation', args);
      assert.ok(texts(first)[0]?.includes(JSON.stringify({ text })), texts(first)[0]);
      assert.equal(dataOf<{ calls: { body: string }[] }>(first).calls[0]?.body, JSON.stringify({ text }));
      const { confirmationToken } = dataOf<{ confirmationToken: string }>(first);
      const sent = await call(session, 'stcrm_callOperation', { ...args, confirmationToken });
      assert.equal(sent.isError, undefined, texts(sent)[0]);
      const notes = await call(session, 'stcrm_callOperation', { operation: 'Customers_GetNotes', path: { id: customer.id }, query: { pageSize: 50 } });
      const read = dataOf<{ data: { text: string }[] }>(notes).data.map((note) => note.text);
      // A read keeps the prose; a credential-looking word a server echoes is still masked there.
      assert.ok(read.includes(`${prose}. Old header: Bearer [REDACTED]`), read.join('\n'));
    });

    void it('a token works only for the request it was issued for', async () => {
      const name = unique('Bound');
      const first = await call(session, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name } });
      const { confirmationToken } = dataOf<{ confirmationToken: string }>(first);
      const other = await call(session, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name: `${name} changed` }, confirmationToken });
      assert.equal(other.isError, true);
      assert.match(texts(other)[0] ?? '', /this confirmationToken was issued for a different request/);
      const spent = await call(session, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name }, confirmationToken });
      assert.match(texts(spent)[0] ?? '', /was already used/);
      assert.deepEqual(await contactsNamed(name), []);
      assert.deepEqual(await contactsNamed(`${name} changed`), []);
    });

    void it('input that does not fit is answered field by field, with no token', async () => {
      const bad = await call(session, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name: 'X', favouriteColour: 'blue' } });
      assert.equal(bad.isError, true);
      assert.match(
        texts(bad)[0] ?? '',
        /nothing was sent, because the input does not fit Contacts_Create in the API document\. Fix these fields and call again:\n- body\.favouriteColour: /,
      );
      assert.doesNotMatch(texts(bad).join('\n'), /confirmationToken/);
      assert.deepEqual(session.errors, []);
    });
  });

  void describe('on a production tenant', () => {
    let sandbox: RunningSandbox;
    before(async () => {
      sandbox = await startSandbox({ port: 0, customers: 3 });
    });
    after(async () => {
      await sandbox.close();
    });
    const env = (): Record<string, string> => ({
      ST_ENVIRONMENT: 'production',
      ST_API_BASE_URL: sandbox.url,
      ST_TOKEN_URL: `${sandbox.url}/connect/token`,
      ST_TENANT: sandbox.tenant,
      ST_CLIENT_ID: sandbox.credentials.clientId,
      ST_CLIENT_SECRET: sandbox.credentials.clientSecret,
      ST_APP_KEY: sandbox.credentials.appKey,
    });

    void it('refuses writes without --allow-production-writes, and confirms them with a token with it', async () => {
      const name = unique('Production');
      const guarded = await spawnMcp(['--allow-writes'], env());
      try {
        const refused = await call(guarded, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name } });
        assert.equal(refused.isError, true);
        assert.match(texts(refused)[0] ?? '', /this is the PRODUCTION tenant \d+, and this server was not started with --allow-production-writes/);
        assert.match(guarded.stderr(), /\(PRODUCTION\), read-only: production writes need --allow-production-writes\./);
        const { tools } = await guarded.client.listTools();
        assert.deepEqual(
          tools.map((tool) => tool.name),
          ['stcrm_findCustomers', 'stcrm_getCustomer', 'stcrm_callOperation'],
          'no write tool that would always be refused',
        );
        assert.match(
          tools[2]?.description ?? '',
          /Writes are off: this is the PRODUCTION tenant \d+, and this server was not started with --allow-production-writes\.$/,
        );
      } finally {
        await guarded.close();
      }
      const allowed = await spawnMcp(['--allow-writes', '--allow-production-writes'], env());
      try {
        const first = await call(allowed, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name } });
        assert.match(texts(first)[0] ?? '', /Send "Contacts_Create" to the PRODUCTION tenant \d+\?/);
        const { confirmationToken } = dataOf<{ confirmationToken: string }>(first);
        const sent = await call(allowed, 'stcrm_callOperation', { operation: 'Contacts_Create', body: { name }, confirmationToken });
        assert.match(texts(sent)[0] ?? '', /^POST Contacts_Create: HTTP 200 OK/);
      } finally {
        await allowed.close();
      }
    });
  });

  void it('an expired token is refused (in-process, on a clock the test moves)', async () => {
    const sandbox = await startSandbox({ port: 0, customers: 2 });
    const transport = createTransport({
      environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`),
      tenant: sandbox.tenant,
      ...sandbox.credentials,
    });
    let now = 0;
    const server = createMcpServer({
      connection: {
        profile: { id: 't', name: 'Test', tenant: sandbox.tenant, production: false },
        client: new CrmClient(transport),
        describe: (request) => transport.describe(request),
      },
      secrets: () => transport.secrets(),
      allowWrites: true,
      allowProductionWrites: false,
      version: '0.0.0',
      log: () => undefined,
      tokens: new ConfirmationTokens(() => now),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'stcrm-test', version: '1.0.0' });
    try {
      await server.connect(serverSide);
      await client.connect(clientSide);
      const args = { operation: 'Contacts_Create', body: { name: 'Too Late' } };
      const { confirmationToken } = dataOf<{ confirmationToken: string }>(await client.callTool({ name: 'stcrm_callOperation', arguments: args }));
      now += TOKEN_TTL_MS;
      const late = await client.callTool({ name: 'stcrm_callOperation', arguments: { ...args, confirmationToken } });
      assert.equal(late.isError, true);
      assert.match(texts(late)[0] ?? '', /this confirmationToken expired \(tokens last 120 seconds\)\. Call it again without confirmationToken/);
      assert.deepEqual((await new CrmClient(transport).listContacts({ name: 'Too Late' })).data, []);
    } finally {
      await client.close();
      await server.close();
      await transport.close();
      await sandbox.close();
    }
  });

  void it('never lets a secret into a message or the log, whatever a hostile CRM echoes (canary)', async () => {
    const crm = await startHostileCrm();
    const session = await spawnMcp(['--allow-writes'], {
      ST_API_BASE_URL: crm.url,
      ST_TOKEN_URL: `${crm.url}/connect/token`,
      ST_TENANT: '1000',
      ST_CLIENT_ID: CANARY.clientId,
      ST_CLIENT_SECRET: CANARY.clientSecret,
      ST_APP_KEY: CANARY.appKey,
    });
    try {
      await session.client.listTools();
      await call(session, 'stcrm_findCustomers', { name: 'Canary' });
      await call(session, 'stcrm_findCustomers', {});
      await call(session, 'stcrm_getCustomer', { customerId: 7 });
      await call(session, 'stcrm_callOperation', { operation: 'Contacts_GetList', query: { pageSize: 5 } });
      await call(session, 'stcrm_callOperation', { operation: 'Locations_GetList' });
      await call(session, 'stcrm_callOperation', { operation: 'Leads_GetList' });
      const args = { name: 'Canary Agent', contactMethods: [{ type: 'Email', value: 'canary@example.com' }] };
      const { confirmationToken } = dataOf<{ confirmationToken: string }>(await call(session, 'stcrm_createContact', args));
      await call(session, 'stcrm_createContact', { ...args, confirmationToken });
      assert.ok(
        crm.seen.some((line) => line.startsWith('POST ')),
        'the write reached the hostile server',
      );
      const all = session.messages.join('\n');
      assert.match(all, /\[REDACTED\]/, 'the echoes came back, redacted');
      assert.deepEqual([...canaryLeaks(all), ...canaryLeaks(session.stderr()).map((leak) => `stderr: ${leak}`)], []);
      assert.deepEqual(session.errors, []);
    } finally {
      await session.close();
      await crm.close();
    }
  });
});
