// A list answer too large for one stcrm_callOperation result, against the sandbox over real
// loopback HTTP: the JSON says `trimmed` (never hasMore:false over items it does not show), and
// the input the answer gives for the rest, followed, reads every record once: a paged list with a
// smaller page size from the page that starts after those shown, an export page by the ids it lists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepareToolCall, WriteSessions } from '../../../src/agent/agentTools';
import { resultTexts, type ToolResult } from '../../../src/agent/toolResults';
import { CrmClient } from '../../../src/api/client';
import type { CrmTransport } from '../../../src/api/transport';
import type { WriteConnection } from '../../../src/writes/engine';
import { connect, sandbox, type Sandbox } from '../api/transportHarness';

interface Trimmed {
  shown: number;
  of: number;
  next?: { operation: string; query: Record<string, number> };
  notShown?: number[];
  readThemWith?: { operation: string; query: { ids: string; pageSize: number; active?: string } };
}
type Answer = { data: { id: number }[]; hasMore: boolean; continueFrom?: string; trimmed?: Trimmed };

void describe('a list answer too large for one result', () => {
  let sb: Sandbox;
  let transport: CrmTransport;
  let connection: WriteConnection;

  before(async () => {
    sb = await sandbox({ customers: 120 });
    transport = connect(sb).transport;
    const client = new CrmClient(transport);
    connection = { profile: { id: 'p1', name: 'Test', tenant: sb.tenant, production: false }, client, describe: (request) => transport.describe(request) };
  });
  after(async () => {
    await transport.close();
    await sb.close();
  });

  const read = async (input: unknown): Promise<ToolResult> => {
    const prepared = prepareToolCall('stcrm_callOperation', input, { connection, sessions: new WriteSessions() });
    assert.equal(prepared.kind, 'read');
    const result = await prepared.run();
    assert.equal(result.isError, undefined, result.text);
    return result;
  };
  /** What the model gets: the JSON as sent, after the bound of every result. */
  const sent = (result: ToolResult): { text: string; body: Answer } => {
    const [text = '', json = ''] = resultTexts(result, transport.secrets());
    return { text, body: JSON.parse(json) as Answer };
  };
  const allIds = async (): Promise<number[]> => (await connection.client.allCustomers({ active: 'Any' })).map((customer) => customer.id);

  const pages: [string, { page?: number; pageSize: number; active: string }][] = [
    ['a first page', { pageSize: 500, active: 'Any' }],
    ['a later page', { page: 2, pageSize: 70, active: 'Any' }],
  ];
  for (const [label, query] of pages) {
    void it(`${label} of a paged list shows a whole number of smaller pages and names the next one: nothing skipped, nothing twice`, async () => {
      const ids = await allIds();
      const first = sent(await read({ operation: 'Customers_GetList', query }));
      const trimmed = first.body.trimmed;
      assert.ok(trimmed?.next, first.text);
      assert.equal(first.body.hasMore, true, 'never hasMore:false over items not shown');
      assert.equal(first.body.data.length, trimmed.shown);
      assert.ok(trimmed.shown < trimmed.of);
      assert.doesNotMatch(first.text, /\$\.data: showing the first/, 'cut once, by the page, not again by the bound');
      assert.match(first.text, /To read on without a gap, call again with the same query and pageSize \d+: page \d+/);
      const seen = first.body.data.map((row) => row.id);
      const offset = (query.page ?? 1) - 1;
      // As a model would: the input a trimmed answer names, else the next page of the same input.
      let input: { operation: string; query: Record<string, number> } | undefined = trimmed.next;
      while (input) {
        const next: Answer = sent(await read(input)).body;
        seen.push(...next.data.map((row) => row.id));
        input = next.trimmed ? next.trimmed.next : next.hasMore ? { ...input, query: { ...input.query, page: (input.query.page ?? 1) + 1 } } : undefined;
      }
      assert.deepEqual(seen, ids.slice(offset * query.pageSize), 'every record from the first shown on, in order, once');
    });
  }

  void it('an export page lists the ids it does not show, and reading them by id fills the gap', async () => {
    const whole = (await connection.client.callRaw('ExportCustomers_GetCustomers', { query: {} })).json as Answer;
    const first = sent(await read({ operation: 'ExportCustomers_GetCustomers' }));
    const trimmed = first.body.trimmed;
    assert.ok(trimmed?.notShown && trimmed.readThemWith, first.text);
    assert.equal(first.body.hasMore, true);
    assert.equal(first.body.continueFrom, whole.continueFrom);
    assert.match(first.text, /continueFrom continues after all \d+, so the \d+ not shown are skipped unless read another way/);
    assert.doesNotMatch(first.text, /smaller pageSize/);
    const seen = first.body.data.map((row) => row.id);
    const notShown = [...trimmed.notShown];
    while (notShown.length > 0) {
      const ids = notShown.splice(0, trimmed.readThemWith.query.pageSize);
      const page = sent(await read({ ...trimmed.readThemWith, query: { ...trimmed.readThemWith.query, ids: ids.join(',') } })).body;
      seen.push(...page.data.map((row) => row.id).sort((a, b) => ids.indexOf(a) - ids.indexOf(b)));
    }
    assert.deepEqual(
      seen,
      whole.data.map((row) => row.id),
    );
  });
});
