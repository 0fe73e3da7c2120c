// The `.vscode/mcp.json` entry (src/agent/mcpJson.ts): per environment, credentials only as
// `${input:…}` prompts, merged into the file's text keeping comments and other entries, and a file
// that is not what it should be refused rather than overwritten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { mcpEntry, mcpServerName, mergeMcpJson, type McpProfile } from '../../../src/agent/mcpJson';

const CLI = '/ext/dist/cli.js';
const integration: McpProfile = { name: 'Staging Copy!', environment: 'integration', tenant: '1000' };

void describe('.vscode/mcp.json', () => {
  void it('names the server after the profile, in letters, digits and dashes', () => {
    assert.equal(mcpServerName('Staging Copy!'), 'servicetitan-crm-staging-copy');
    assert.equal(mcpServerName('   '), 'servicetitan-crm-profile');
    assert.equal(mcpServerName('__proto__'), 'servicetitan-crm-proto');
  });

  void it('runs the bundled CLI with the environment and tenant, and prompts for every credential', () => {
    const entry = mcpEntry(integration, CLI);
    assert.deepEqual(entry.server, {
      type: 'stdio',
      command: 'node',
      args: [CLI, 'mcp'],
      env: {
        ST_ENVIRONMENT: 'integration',
        ST_TENANT: '1000',
        ST_CLIENT_ID: '${input:servicetitan-crm-staging-copy-client-id}',
        ST_CLIENT_SECRET: '${input:servicetitan-crm-staging-copy-client-secret}',
        ST_APP_KEY: '${input:servicetitan-crm-staging-copy-app-key}',
      },
    });
    assert.ok(entry.inputs.every((input) => input.password && input.type === 'promptString'));
    const custom = mcpEntry(
      { name: 'Live', environment: 'custom', tenant: '7', apiBaseUrl: 'https://api.example', tokenUrl: 'https://auth.example/token', production: true },
      CLI,
    );
    assert.deepEqual(Object.entries(custom.server.env ?? {}).slice(0, 4), [
      ['ST_API_BASE_URL', 'https://api.example'],
      ['ST_TOKEN_URL', 'https://auth.example/token'],
      ['ST_ENVIRONMENT', 'production'],
      ['ST_TENANT', '7'],
    ]);
    assert.deepEqual(mcpEntry({ name: 'Local', environment: 'sandbox', tenant: '1000' }, CLI), {
      name: 'servicetitan-crm-local',
      server: { type: 'stdio', command: 'node', args: [CLI, 'mcp', '--sandbox'] },
      inputs: [],
    });
  });

  void it('creates the file, and merges into one keeping comments, other servers and inputs, replacing its own', () => {
    const entry = mcpEntry(integration, CLI);
    const created = mergeMcpJson(undefined, entry);
    assert.ok(created.ok);
    assert.deepEqual(Object.keys(parse(created.text) as object), ['servers', 'inputs']);

    const existing = `{
  // my servers
  "servers": { "other": { "type": "stdio", "command": "x" }, "servicetitan-crm-staging-copy": { "command": "old" } },
  "inputs": [{ "type": "promptString", "id": "mine" }, { "type": "promptString", "id": "servicetitan-crm-staging-copy-app-key", "description": "old" }],
}`;
    const merged = mergeMcpJson(existing, entry);
    assert.ok(merged.ok);
    assert.match(merged.text, /\/\/ my servers/);
    const json = parse(merged.text) as { servers: Record<string, unknown>; inputs: { id: string }[] };
    assert.deepEqual(json.servers.other, { type: 'stdio', command: 'x' });
    assert.deepEqual(json.servers['servicetitan-crm-staging-copy'], entry.server);
    assert.deepEqual(
      json.inputs.map((input) => input.id),
      ['mine', 'servicetitan-crm-staging-copy-app-key', 'servicetitan-crm-staging-copy-client-id', 'servicetitan-crm-staging-copy-client-secret'],
    );
    assert.deepEqual(json.inputs[1], entry.inputs[2]);
    const again = mergeMcpJson(merged.text, entry);
    assert.ok(again.ok);
    assert.equal(again.text, merged.text, 'running it twice changes nothing');
  });

  void it('refuses a file that is not JSON, not an object, or has the wrong shapes, saying what to fix', () => {
    const entry = mcpEntry(integration, CLI);
    for (const [text, message] of [
      ['{ "servers": ', /is not valid JSON \(.+ on line 1\)/],
      ['[]', /must hold a JSON object/],
      ['{ "servers": [] }', /"servers" in .vscode\/mcp.json must be an object/],
      ['{ "inputs": {} }', /"inputs" in .vscode\/mcp.json must be a list/],
    ] as const) {
      const result = mergeMcpJson(text, entry);
      assert.ok(!result.ok);
      assert.match(result.message, message);
    }
    // A `__proto__` key is data: it neither hides nor supplies "servers".
    const proto = mergeMcpJson('{ "__proto__": { "servers": [] } }', entry);
    assert.ok(proto.ok);
  });
});
