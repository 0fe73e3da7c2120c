/**
 * `stcrm mcp [--sandbox] [--allow-writes] [--allow-production-writes]`: the CRM's agent tools as
 * an MCP server on stdin/stdout (mcpServer.ts). Credentials from the same ST_* variables as
 * `stcrm test`, or a fresh embedded sandbox. Nothing but protocol messages goes to stdout; the
 * log goes to stderr, redacted. Runs until stdin closes or a signal; exit 2 for a usage or
 * configuration problem (said on stderr).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { redact } from '../api/redact';
import type { CrmTransport } from '../api/transport';
import { startSuiteSandbox } from '../suites/freshSandbox';
import type { WriteConnection } from '../writes/engine';
import { connectionFromEnv } from './credentials';
import { createMcpServer } from './mcpServer';

export const MCP_USAGE = `Usage: stcrm mcp [options]

Serves the ServiceTitan CRM agent tools (stcrm_findCustomers, stcrm_getCustomer,
stcrm_callOperation, and with --allow-writes stcrm_createContact) as an MCP server on
stdin and stdout, for an MCP host such as VS Code, Claude Desktop or Cursor.

  --sandbox                   serve a fresh embedded CRM sandbox (seeded, in memory); no
                              credentials needed
  --allow-writes              let the tools write; each write is two calls: the first answers
                              with the exact request and a confirmation token, the second sends it
  --allow-production-writes   also let them write to a production tenant
  --help                      show this help

Credentials (unless --sandbox): ST_CLIENT_ID, ST_CLIENT_SECRET, ST_APP_KEY, ST_TENANT, and
ST_ENVIRONMENT (integration or production) or ST_API_BASE_URL and ST_TOKEN_URL. Calls are held
to 60 per second. The log goes to stderr.
`;

export interface McpArgs {
  sandbox: boolean;
  allowWrites: boolean;
  allowProductionWrites: boolean;
  help: boolean;
}

export function parseMcpArgs(argv: readonly string[]): { ok: true; args: McpArgs } | { ok: false; message: string } {
  const args: McpArgs = { sandbox: false, allowWrites: false, allowProductionWrites: false, help: false };
  for (const raw of argv) {
    if (raw === '--sandbox') args.sandbox = true;
    else if (raw === '--allow-writes') args.allowWrites = true;
    else if (raw === '--allow-production-writes') args.allowProductionWrites = true;
    else if (raw === '--help' || raw === '-h') args.help = true;
    else return { ok: false, message: raw.startsWith('-') ? `Unknown option ${raw.slice(0, 100)}.` : `stcrm mcp takes no files (got ${raw.slice(0, 100)}).` };
  }
  if (args.allowProductionWrites && !args.allowWrites) return { ok: false, message: '--allow-production-writes needs --allow-writes too.' };
  return { ok: true, args };
}

export interface McpIo {
  stdin: Readable;
  stdout: Writable;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborted by SIGINT or SIGTERM: the server stops. */
  stop: AbortSignal;
}

/** Runs the server until stdin closes (or `stop`); answers with the exit code. */
export async function runMcpCommand(argv: readonly string[], io: McpIo): Promise<number> {
  const parsed = parseMcpArgs(argv);
  if (!parsed.ok) {
    io.stderr(`${parsed.message}\n\n${MCP_USAGE}`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    // Asked for by a person at a terminal: not serving, so stdout is free.
    io.stdout.write(MCP_USAGE);
    return 0;
  }

  const transports: CrmTransport[] = [];
  const given = ['ST_CLIENT_ID', 'ST_CLIENT_SECRET', 'ST_APP_KEY'].map((name) => io.env[name]?.trim() ?? '').filter((value) => value !== '');
  const secrets = (): readonly string[] => [...given, ...transports.flatMap((transport) => transport.secrets())];
  const log = (line: string): void => io.stderr(`${redact(line, secrets())}\n`);

  let connection: WriteConnection;
  let close: () => Promise<void>;
  if (args.sandbox) {
    const leased = await startSuiteSandbox(undefined, { onTransport: (transport) => transports.push(transport) });
    connection = leased.connection;
    close = () => leased.close();
  } else {
    const fromEnv = connectionFromEnv(io.env);
    if (!fromEnv.ok) {
      log(fromEnv.message);
      return 2;
    }
    transports.push(fromEnv.value.transport);
    connection = fromEnv.value.connection;
    close = () => fromEnv.value.transport.close();
  }

  const server = createMcpServer({
    connection,
    secrets,
    allowWrites: args.allowWrites,
    allowProductionWrites: args.allowProductionWrites,
    version: packageVersion(),
    log,
  });
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const closed = new Promise<void>((resolve) => {
    io.stdin.once('end', resolve);
    io.stdin.once('close', resolve);
    io.stop.addEventListener('abort', () => resolve(), { once: true });
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  const { profile } = connection;
  const mode = !args.allowWrites
    ? 'read-only'
    : profile.production && !args.allowProductionWrites
      ? 'read-only: production writes need --allow-production-writes'
      : `writes allowed${args.allowProductionWrites ? ', production too' : ''}, each confirmed with a token`;
  log(`stcrm mcp: serving ${profile.name}, tenant ${profile.tenant}${profile.production ? ' (PRODUCTION)' : ''}, ${mode}.`);
  await closed;
  await server.close().catch(() => undefined);
  await close();
  return 0;
}

/** The extension's version, from the package.json beside dist/ (or the repository's, run from out/). */
function packageVersion(): string {
  let folder = __dirname;
  for (let level = 0; level < 4; level++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'servicetitan-crm' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not here: one folder up.
    }
    folder = path.dirname(folder);
  }
  return '0.0.0';
}
