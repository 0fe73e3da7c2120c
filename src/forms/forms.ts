/**
 * The forms as activation sees them: the serializer that brings forms back after a window reload
 * (VS Code restores a panel only through a serializer registered by then), and a door to the
 * forms' host (src/forms/formManager.ts with the sessions, controllers and payload diagnostics,
 * dist/forms-host.js), which loads when the first form opens or is restored.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { OnFirstUse } from '../common/onFirstUse';
import type { FormHostServices, FormManager } from './formManager';
import type { FormSession } from './formSession';
import { FORM_VIEW_TYPE } from './formViewType';
import type { FormTarget } from './page/protocol';

export class Forms extends Disposable {
  private readonly host: OnFirstUse<FormManager>;

  constructor(services: FormHostServices) {
    super();
    this.host = this.register(new OnFirstUse(async () => new (await import('./formManager.js')).FormManager(services)));
    this.register(
      vscode.window.registerWebviewPanelSerializer(FORM_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          try {
            await this.restore(panel, state);
          } catch (error) {
            // The host did not load (or threw): an empty panel would only be in the way.
            services.log.error('A ServiceTitan CRM form could not be restored after the reload', error);
            panel.dispose();
          }
        },
      }),
    );
  }

  /** Opens the form for `target`, or shows it when it is open already. */
  async open(target: FormTarget): Promise<FormSession> {
    return (await this.host.get()).open(target);
  }

  /** Brings back a form after a window reload (the serializer's entry; tests call it too). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<FormSession | undefined> {
    return (await this.host.get()).restore(panel, state);
  }
}
