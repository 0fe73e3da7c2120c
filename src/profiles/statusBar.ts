import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { SandboxHost } from './sandboxHost';
import { environmentLabels, isProductionProfile, type ProfileStore } from './profiles';

/**
 * Shows the active profile and tenant; a click opens the profile picker. Production gets the
 * warning colours so nobody writes to live data by accident.
 */
export class ProfileStatusBar extends Disposable {
  readonly item: vscode.StatusBarItem;

  constructor(
    private readonly store: ProfileStore,
    private readonly sandbox: SandboxHost,
  ) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('stcrm.profile', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'ServiceTitan CRM Profile';
    this.item.command = 'stcrm.selectProfile';
    this.register(store.onDidChange(() => this.update()));
    this.register(sandbox.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const profile = this.store.active();
    const hasProfile = this.store.list().length > 0;
    void vscode.commands.executeCommand('setContext', 'stcrm.hasProfile', hasProfile);
    void vscode.commands.executeCommand('setContext', 'stcrm.hasActiveProfile', profile !== undefined);
    if (!profile) {
      this.item.text = '$(account) ServiceTitan: no profile';
      this.item.tooltip = 'No ServiceTitan CRM profile is active in this workspace. Click to select or add one.';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const production = isProductionProfile(profile);
    const icon = production ? '$(warning)' : profile.environment === 'sandbox' ? '$(beaker)' : '$(cloud)';
    this.item.text = `${icon} ${profile.name} · ${production ? 'PRODUCTION · ' : ''}tenant ${profile.tenant}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**ServiceTitan CRM**: ${escape(profile.name)}\n\n`);
    tooltip.appendMarkdown(`Environment: ${environmentLabels[profile.environment]}${production ? ' (live data: every write asks first)' : ''}\n\n`);
    tooltip.appendMarkdown(`Tenant: ${profile.tenant}\n\n`);
    if (profile.environment === 'sandbox') {
      tooltip.appendMarkdown(this.sandbox.running ? `Sandbox: ${this.sandbox.running.url}\n\n` : 'Sandbox: not running (starts on first use)\n\n');
    }
    tooltip.appendMarkdown('Click to switch profile.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (char) => `\\${char}`);
}
