/**
 * The CRM's language-model tools in VS Code, registered on activation (a tool must be registered
 * to be invoked) while their implementation loads on first use (agentToolsHost.ts, the
 * `agent-tools` file of scripts/build.mjs).
 *
 * `stcrm.agentTools.writes: off` hides the tools that only write through their `when` clause in
 * package.json (`config.stcrm.agentTools.writes != off`): VS Code leaves them out of
 * `vscode.lm.tools` and every tool picker, from startup and as the setting changes, and
 * `stcrm_callOperation` then only reads. Their implementation stays registered and refuses to
 * run, because another extension may still invoke a hidden tool, and because VS Code 1.100 drops
 * a hidden tool from this extension host's `vscode.lm.tools` only while it is registered here.
 */
import * as vscode from 'vscode';
import { AGENT_TOOL_NAMES, type AgentToolName } from '../agent/toolNames';
import { Disposable } from '../common/lifecycle';
import { OnFirstUse } from '../common/onFirstUse';
import type { AgentToolsHost, AgentToolsServices } from './agentToolsHost';

export class AgentTools extends Disposable {
  private readonly host: OnFirstUse<AgentToolsHost>;

  constructor(services: AgentToolsServices) {
    super();
    this.host = this.register(new OnFirstUse(async () => new (await import('./agentToolsHost.js')).AgentToolsHost(services)));
    for (const name of AGENT_TOOL_NAMES) this.register(this.registerTool(name));
  }

  /** The implementation (for `stcrm.addMcpServer` and `stcrm.runAgentTool`). */
  load(): Promise<AgentToolsHost> {
    return this.host.get();
  }

  private registerTool(name: AgentToolName): vscode.Disposable {
    return vscode.lm.registerTool<unknown>(name, {
      prepareInvocation: async (options, token) => (await this.host.get()).prepare(name, options.input, token),
      invoke: async (options, token) => (await this.host.get()).invoke(name, options.input, token),
    });
  }
}
