import * as vscode from 'vscode';
import type { RunningSandbox } from '../../sandbox';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';

/**
 * Runs the CRM sandbox inside the extension host on a free loopback port. One per window:
 * a "Local sandbox" profile resolves its URL from here, so windows never fight over a port.
 */
export class SandboxHost extends Disposable {
  private current: RunningSandbox | undefined;
  private stoppedOnRequest = false;
  private starting: Promise<RunningSandbox> | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<RunningSandbox | undefined>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Log) {
    super();
  }

  get running(): RunningSandbox | undefined {
    return this.current;
  }

  /** True after "Stop Local Sandbox" until the next start: views then offer to start it instead of starting it themselves. */
  get stoppedByUser(): boolean {
    return this.stoppedOnRequest && !this.current;
  }

  /** Starts the sandbox, or returns the one already running; concurrent callers share one start. */
  async ensureStarted(): Promise<RunningSandbox> {
    if (this.current) return this.current;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<RunningSandbox> {
    // Loaded on the first start only: the bundle keeps the sandbox in its own file (scripts/build.mjs).
    const { startSandbox } = await import('../../sandbox/index.js');
    const sandbox = await startSandbox({ port: 0, log: (line) => this.log.trace(`sandbox: ${line}`) });
    this.current = sandbox;
    this.stoppedOnRequest = false;
    this.log.info(`Local CRM sandbox listening on ${sandbox.url} (tenant ${sandbox.tenant})`);
    await vscode.commands.executeCommand('setContext', 'stcrm.sandboxRunning', true);
    this.changed.fire(sandbox);
    return sandbox;
  }

  async stop(): Promise<boolean> {
    this.stoppedOnRequest = true;
    const sandbox = this.current ?? (this.starting ? await this.starting : undefined);
    if (!sandbox) return false;
    this.current = undefined;
    await sandbox.close();
    this.log.info('Local CRM sandbox stopped');
    await vscode.commands.executeCommand('setContext', 'stcrm.sandboxRunning', false);
    this.changed.fire(undefined);
    return true;
  }

  /** Stops the sandbox (without waiting for it), then disposes what was registered. */
  override dispose(): void {
    const sandbox = this.current;
    this.current = undefined;
    void sandbox?.close();
    super.dispose();
  }
}
