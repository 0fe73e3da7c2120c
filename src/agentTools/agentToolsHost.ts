/**
 * The language-model tools' VS Code side, loaded on first use: each call runs the one agent-tool
 * implementation (src/agent/) on the active profile's connection. A write asks first through VS
 * Code's tool confirmation (`prepareInvocation` → `confirmationMessages`: profile, tenant, each
 * call's operation, method, exact URL and body, Production first); VS Code calls `invoke` only
 * after the person said yes there, so the write then runs through the one write pipeline with
 * `productionConfirmed`: one question, not two. An approval binds to the exact calls it showed:
 * if anything changed in between (another profile, another tenant), nothing is sent.
 * Also the command that writes the `.vscode/mcp.json` entry.
 */
import * as vscode from 'vscode';
import { prepareToolCall, WriteSessions, type PreparedToolCall } from '../agent/agentTools';
import { confirmationMarkdown, confirmationTitle } from '../agent/confirmations';
import { mcpEntry, mergeMcpJson } from '../agent/mcpJson';
import { AGENT_TOOL_NAMES, isAgentToolName, type AgentToolName } from '../agent/toolNames';
import { resultTexts, type ToolResult } from '../agent/toolResults';
import { UserCancelled } from '../common/commands';
import { readSettings } from '../common/config';
import type { Log } from '../common/log';
import type { ConnectionManager } from '../profiles/connection';
import type { ProfileStore } from '../profiles/profiles';
import { writeConnectionOf, type WritePipeline } from '../records/writePipeline';

export interface AgentToolsServices {
  connections: ConnectionManager;
  store: ProfileStore;
  writes: WritePipeline;
  log: Log;
  extensionUri: vscode.Uri;
}

/** How long a shown confirmation stays good for the `invoke` that follows the person's yes. */
const APPROVAL_TTL_MS = 30 * 60_000;

const INVOCATION_MESSAGES: Record<AgentToolName, string> = {
  stcrm_findCustomers: 'Finding ServiceTitan customers',
  stcrm_getCustomer: 'Reading the ServiceTitan customer',
  stcrm_callOperation: 'Calling the ServiceTitan CRM',
  stcrm_createContact: 'Creating the ServiceTitan contact',
};

export class AgentToolsHost {
  private readonly sessions = new WriteSessions();
  /** Fingerprints of the writes whose confirmation was shown, with when that stops counting. */
  private readonly shown = new Map<string, number>();

  constructor(private readonly services: AgentToolsServices) {}

  async prepare(tool: AgentToolName, input: unknown, _token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const invocationMessage = INVOCATION_MESSAGES[tool];
    let prepared: PreparedToolCall;
    try {
      prepared = await this.prepared(tool, input);
    } catch {
      // No active profile: `invoke` says so (and sends nothing).
      return { invocationMessage };
    }
    if (prepared.kind !== 'write') return { invocationMessage };
    const { confirmation, fingerprint } = prepared.write;
    this.expireShown();
    this.shown.set(fingerprint, Date.now() + APPROVAL_TTL_MS);
    return {
      invocationMessage,
      confirmationMessages: { title: confirmationTitle(confirmation), message: new vscode.MarkdownString(confirmationMarkdown(confirmation)) },
    };
  }

  async invoke(tool: AgentToolName, input: unknown, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const aborter = new AbortController();
    const cancelled = token.onCancellationRequested(() => aborter.abort());
    const started = Date.now();
    let secrets: readonly string[] = [];
    let result: ToolResult;
    try {
      const active = await this.services.connections.require();
      secrets = active.transport.secrets();
      const connection = writeConnectionOf(active);
      const prepared = prepareToolCall(tool, input, { connection, sessions: this.sessions, writesRefused: this.writesRefused() });
      if (prepared.kind === 'answer') result = prepared.result;
      else if (prepared.kind === 'read') result = await prepared.run(aborter.signal);
      else if (!this.takeShown(prepared.write.fingerprint)) {
        result = {
          text: `${tool} was not run, and nothing was sent: the request changed since the person confirmed it (another profile or tenant is active now). Call it again to ask again.`,
          data: { notSent: true },
          isError: true,
        };
      } else {
        // VS Code calls invoke only after the person said yes to exactly these calls.
        const writes = this.services.writes;
        result = await prepared.write.run((plan, options) => writes.run(connection, plan, options), { productionConfirmed: true, signal: aborter.signal });
      }
    } catch (error) {
      result = { text: `${tool}: ${error instanceof Error ? error.message : String(error)}`, isError: true };
    } finally {
      cancelled.dispose();
    }
    this.services.log.info(`Agent tool ${tool}: ${result.isError ? 'answered with a problem' : 'done'} in ${Date.now() - started} ms`);
    return new vscode.LanguageModelToolResult(resultTexts(result, secrets).map((text) => new vscode.LanguageModelTextPart(this.services.log.clean(text))));
  }

  /**
   * `stcrm.runAgentTool` (hidden from the Command Palette): runs one of these tools through VS Code's
   * own `vscode.lm.invokeTool`, confirmation included, with `{ tool, input }`; answers its texts.
   * For keybindings and scripts; Cancel in the confirmation is a silent cancel.
   */
  async run(arg: unknown): Promise<string[]> {
    const { tool, input } = typeof arg === 'object' && arg !== null ? (arg as { tool?: unknown; input?: unknown }) : {};
    if (typeof tool !== 'string' || !isAgentToolName(tool))
      throw new Error(`Name one of the tools: ${AGENT_TOOL_NAMES.join(', ')} (as { "tool": …, "input": { … } }).`);
    try {
      const result = await vscode.lm.invokeTool(tool, { input: typeof input === 'object' && input !== null ? input : {}, toolInvocationToken: undefined });
      return result.content.flatMap((part) => (part instanceof vscode.LanguageModelTextPart ? [part.value] : []));
    } catch (error) {
      // What the workbench rejects with when the person cancels the confirmation.
      if (error instanceof Error && error.name === 'Canceled') throw new UserCancelled();
      throw error;
    }
  }

  /** `stcrm.addMcpServer`: the active profile's entry in the workspace's `.vscode/mcp.json`, shown. */
  async addMcpServer(): Promise<vscode.Uri> {
    const profile = this.services.store.active();
    if (!profile)
      throw new Error('No ServiceTitan profile is active. Run "ServiceTitan CRM: Select Profile…" or "ServiceTitan CRM: Start Local Sandbox" first.');
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Add the MCP server to which folder?' }) : folders[0];
    if (!folder) {
      if (folders.length > 1) throw new UserCancelled();
      throw new Error('Open a folder first: the MCP server is added to its .vscode/mcp.json.');
    }
    const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
    const cli = vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'cli.js').fsPath;
    const entry = mcpEntry(profile, cli);
    const document = await vscode.workspace.openTextDocument(uri).then(
      (opened) => opened,
      () => undefined,
    );
    const merged = mergeMcpJson(document?.getText(), entry);
    if (!merged.ok) throw new Error(merged.message);
    if (document) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), merged.text);
      await vscode.workspace.applyEdit(edit);
      await document.save();
    } else {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(merged.text));
    }
    await vscode.window.showTextDocument(uri);
    const how =
      profile.environment === 'sandbox'
        ? 'a fresh local sandbox'
        : `tenant ${profile.tenant}; VS Code asks for the client ID, secret and app key when it starts the server`;
    void vscode.window.showInformationMessage(
      `Added the MCP server "${entry.name}" to .vscode/mcp.json (${how}). It is read-only: add "--allow-writes" to its args to let agents write, each write confirmed first.`,
    );
    return uri;
  }

  private async prepared(tool: AgentToolName, input: unknown): Promise<PreparedToolCall> {
    const connection = writeConnectionOf(await this.services.connections.require());
    return prepareToolCall(tool, input, { connection, sessions: this.sessions, writesRefused: this.writesRefused() });
  }

  private writesRefused(): string | undefined {
    return readSettings().agentWrites === 'off' ? 'agents may not write: the setting stcrm.agentTools.writes is "off"' : undefined;
  }

  /** True once per shown confirmation: the yes VS Code asked for covers one invoke. */
  private takeShown(fingerprint: string): boolean {
    this.expireShown();
    return this.shown.delete(fingerprint);
  }

  private expireShown(): void {
    const now = Date.now();
    for (const [fingerprint, until] of this.shown) if (until <= now) this.shown.delete(fingerprint);
  }
}
