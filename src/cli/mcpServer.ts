/**
 * The MCP server of `stcrm mcp`: the agent tools (src/agent/, the same implementation as the
 * editor's language-model tools) over the Model Context Protocol. Read-only unless allowed to
 * write; then a write is two calls: the first answers with the exact request and a confirmation
 * token, the second (same arguments plus that token) sends it. Production writes also need
 * `allowProductionWrites`. Tool handlers sit on the SDK's server directly, so `tools/list` shows
 * the tools' own JSON Schemas and bad input comes back field by field, as in VS Code.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { prepareToolCall, WriteSessions, type PreparedWrite, type WriteRunner } from '../agent/agentTools';
import { confirmationPlainText } from '../agent/confirmations';
import { toolInputJsonSchema } from '../agent/jsonSchemas';
import { READ_ONLY_CALL_OPERATION_DESCRIPTION, TOOL_DESCRIPTIONS } from '../agent/toolInputs';
import { AGENT_TOOL_NAMES, isAgentToolName, WRITE_ONLY_TOOLS, type AgentToolName } from '../agent/toolNames';
import { errorResult, resultTexts, type ToolResult } from '../agent/toolResults';
import { runWrite, type WriteConnection } from '../writes/engine';
import { ConfirmationTokens } from './confirmationTokens';

export interface McpServerOptions {
  connection: WriteConnection;
  /** What every message is redacted with: the credentials and the tokens the transport got. */
  secrets(): readonly string[];
  allowWrites: boolean;
  allowProductionWrites: boolean;
  version: string;
  /** One line per tool call, for stderr (redacted by the caller). */
  log(line: string): void;
  tokens?: ConfirmationTokens;
}

/** Tools that may write: listed with a `confirmationToken` input when writes are allowed. */
const WRITING_TOOLS: readonly AgentToolName[] = ['stcrm_callOperation', 'stcrm_createContact'];

export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'servicetitan-crm', title: 'ServiceTitan CRM', version: options.version }, { capabilities: { tools: {} } });
  const tokens = options.tokens ?? new ConfirmationTokens();
  const sessions = new WriteSessions();
  const { profile } = options.connection;
  // Why this server writes nothing, if it does not: then it lists and describes reads only.
  const writesRefused = !options.allowWrites
    ? 'this MCP server was started read-only (restart it with --allow-writes to let it write)'
    : profile.production && !options.allowProductionWrites
      ? `this is the PRODUCTION tenant ${profile.tenant}, and this server was not started with --allow-production-writes`
      : undefined;
  const listed = AGENT_TOOL_NAMES.filter((name) => !writesRefused || !WRITE_ONLY_TOOLS.includes(name));
  // Writes run as in `stcrm test`: never interactive (the token was the yes), record changes go nowhere.
  const runner: WriteRunner = (plan, runOptions) =>
    runWrite(options.connection, plan, { confirm: () => Promise.resolve(false), publish: () => Promise.resolve() }, runOptions);

  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed.map((name) => toolOf(name, writesRefused)) }));

  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    const started = Date.now();
    if (!isAgentToolName(name) || !listed.includes(name)) {
      const why = isAgentToolName(name)
        ? `${name} is not available: it only writes, and ${writesRefused ?? 'this server does not list it'}.`
        : `There is no tool ${JSON.stringify(name.slice(0, 100))}.`;
      return toContent({ text: why, isError: true }, options.secrets());
    }
    let result: ToolResult;
    let kind = 'failed';
    // Any input gets a tool result and a log line, never a JSON-RPC error from a throw.
    try {
      const { token, args } = splitToken(request.params.arguments, !writesRefused && WRITING_TOOLS.includes(name));
      const prepared = prepareToolCall(name, args, { connection: options.connection, sessions, writesRefused });
      kind = prepared.kind;
      if (prepared.kind === 'answer') result = prepared.result;
      else if (prepared.kind === 'read') result = await prepared.run(extra.signal);
      else ({ result, kind } = await confirmOrSend(prepared.write, token, { ...options, tokens, runner, signal: extra.signal }));
    } catch (error) {
      result = errorResult(`${name} failed, and nothing was sent`, error);
    }
    options.log(`${name}: ${kind}${result.isError ? ' (error)' : ''} in ${Date.now() - started} ms`);
    return toContent(result, options.secrets());
  });
  return server;
}

/** The first call of a write answers with the request and a token; a call with a valid token sends it. */
async function confirmOrSend(
  write: PreparedWrite,
  token: string | undefined,
  options: McpServerOptions & { tokens: ConfirmationTokens; runner: WriteRunner; signal: AbortSignal },
): Promise<{ result: ToolResult; kind: string }> {
  const { confirmation } = write;
  const request = confirmationPlainText(confirmation);
  if (confirmation.profile.production && !options.allowProductionWrites) {
    const text = `${write.tool} was not run, and nothing was sent: this is the PRODUCTION tenant ${confirmation.profile.tenant}, and this server was not started with --allow-production-writes.\n\n${request}`;
    return { kind: 'refused (production)', result: { text, data: { notSent: true, refused: true, production: true }, isError: true, verbatim: true } };
  }
  if (token === undefined) {
    const issued = options.tokens.issue(write.fingerprint);
    const seconds = Math.round(options.tokens.ttlMs / 1000);
    const text =
      `Nothing was sent yet. ${write.tool} would send exactly this:\n\n${request}\n\n` +
      `Show this request to the user. Only when they agree, call ${write.tool} again with the same arguments plus "confirmationToken": "${issued}" ` +
      `(it works once, within ${seconds} seconds, for exactly this request).`;
    const calls = confirmation.calls.map(({ operationId, method, url, body }) => ({ operationId, method, url, ...(body !== undefined ? { body } : {}) }));
    return {
      kind: 'confirmation asked',
      result: {
        text,
        data: {
          notSent: true,
          confirmationToken: issued,
          expiresInSeconds: seconds,
          profile: confirmation.profile.name,
          tenant: confirmation.profile.tenant,
          production: confirmation.profile.production,
          calls,
        },
        verbatim: true,
      },
    };
  }
  const redeemed = options.tokens.redeem(token, write.fingerprint);
  if (!redeemed.ok) {
    const text = `${write.tool} was not run, and nothing was sent: ${redeemed.reason}. Call it again without confirmationToken to see the request and get a new token.`;
    return { kind: 'token refused', result: { text, data: { notSent: true, tokenRefused: true }, isError: true } };
  }
  // The token was the yes, to this very request; production writes are allowed by the flag checked above.
  return { kind: 'write sent', result: await write.run(options.runner, { productionConfirmed: true, signal: options.signal }) };
}

/** `confirmationToken` taken out of the arguments (it is no input of the tool itself). */
function splitToken(raw: unknown, takesToken: boolean): { token?: string; args: unknown } {
  if (!takesToken || typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.prototype.hasOwnProperty.call(raw, 'confirmationToken')) {
    return { args: raw };
  }
  const { confirmationToken, ...args } = raw as Record<string, unknown>;
  return { token: typeof confirmationToken === 'string' ? confirmationToken : String(confirmationToken), args };
}

function toolOf(name: AgentToolName, writesRefused: string | undefined): Tool {
  const description = TOOL_DESCRIPTIONS[name];
  const allowWrites = writesRefused === undefined;
  const readOnly = name === 'stcrm_findCustomers' || name === 'stcrm_getCustomer' || (name === 'stcrm_callOperation' && !allowWrites);
  const modelDescription =
    name === 'stcrm_callOperation' && !allowWrites
      ? `${READ_ONLY_CALL_OPERATION_DESCRIPTION} Writes are off: ${writesRefused}.`
      : WRITING_TOOLS.includes(name)
        ? `${description.modelDescription} A write is two calls: the first returns the exact request and a confirmationToken; show the request to the user, and only when they agree call again with the same arguments and that token.`
        : description.modelDescription;
  return {
    name,
    title: description.displayName,
    description: modelDescription,
    inputSchema: toolInputJsonSchema(name, { confirmationToken: allowWrites && WRITING_TOOLS.includes(name), readOnly: !allowWrites }) as Tool['inputSchema'],
    annotations: {
      title: description.displayName,
      readOnlyHint: readOnly,
      destructiveHint: name === 'stcrm_callOperation' && allowWrites,
      openWorldHint: true,
    },
  };
}

function toContent(result: ToolResult, secrets: readonly string[]): CallToolResult {
  return { content: resultTexts(result, secrets).map((text) => ({ type: 'text' as const, text })), ...(result.isError ? { isError: true } : {}) };
}
