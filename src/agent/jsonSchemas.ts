/**
 * The JSON Schema of each tool's input, made from its zod schema (toolInputs.ts): what the MCP
 * server lists, and what package.json declares as `inputSchema` (a node test keeps the two the
 * same). Kept apart from the tools, so the extension's bundle leaves zod's converter out.
 */
import * as z from 'zod';
import { confirmationTokenInput, readOnlyCallOperationInput, TOOL_INPUTS } from './toolInputs';
import type { AgentToolName } from './toolNames';

export function toolInputJsonSchema(tool: AgentToolName, options: { confirmationToken?: boolean; readOnly?: boolean } = {}): Record<string, unknown> {
  const base = options.readOnly && tool === 'stcrm_callOperation' ? readOnlyCallOperationInput : TOOL_INPUTS[tool];
  const schema = options.confirmationToken ? base.extend(confirmationTokenInput) : base;
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return json;
}
