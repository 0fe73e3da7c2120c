/**
 * The agent tools' names: what package.json `contributes.languageModelTools` declares, what the
 * extension registers with `vscode.lm.registerTool` and what the MCP server lists. Tiny and
 * dependency-free, so activation can register the tools without loading them. No vscode import.
 */
export const AGENT_TOOL_NAMES = ['stcrm_findCustomers', 'stcrm_getCustomer', 'stcrm_callOperation', 'stcrm_createContact'] as const;
export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

/**
 * Tools that do nothing but write: not registered with `stcrm.agentTools.writes: off`, nor by an
 * MCP server started without `--allow-writes`. `stcrm_callOperation` stays, for reads only.
 */
export const WRITE_ONLY_TOOLS: readonly AgentToolName[] = ['stcrm_createContact'];

export function isAgentToolName(name: string): name is AgentToolName {
  return (AGENT_TOOL_NAMES as readonly string[]).includes(name);
}
