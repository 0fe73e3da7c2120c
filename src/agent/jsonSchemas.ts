/**
 * The JSON Schema of each tool's input, made from its zod schema (toolInputs.ts): what the MCP
 * server lists, and what package.json declares as `inputSchema` (a node test keeps the two the
 * same). Kept apart from the tools, so the extension's bundle leaves zod's converter out.
 */
import * as z from 'zod';
import { confirmationTokenInput, TOOL_INPUTS } from './toolInputs';
import type { AgentToolName } from './toolNames';

export function toolInputJsonSchema(tool: AgentToolName, options: { confirmationToken?: boolean } = {}): Record<string, unknown> {
  const schema = options.confirmationToken ? TOOL_INPUTS[tool].extend(confirmationTokenInput) : TOOL_INPUTS[tool];
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return json;
}
