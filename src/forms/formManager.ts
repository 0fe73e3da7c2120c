/**
 * Opens forms (one panel per form: opening it again shows the open one), and brings them back
 * after a window reload (WebviewPanelSerializer: the page's saved state names the form).
 */
import * as vscode from 'vscode';
import type { Log } from '../common/log';
import { FORM_VIEW_TYPE, FormSession, formIdentity, type FormServices } from './formSession';
import { pageStateSchema, type FormTarget } from './protocol';

export class FormManager implements vscode.Disposable {
  private readonly sessions = new Map<string, FormSession>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly services: FormServices) {
    this.registration = vscode.window.registerWebviewPanelSerializer(FORM_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => this.restore(panel, state, services.log),
    });
  }

  /** Opens the form for `target`, or shows it when it is open already. */
  open(target: FormTarget): FormSession {
    const identity = formIdentity(target);
    const open = this.sessions.get(identity);
    if (open) {
      open.panel.reveal(undefined, false);
      return open;
    }
    // FormSession sets the webview's options (scripts, and dist/webview as the only resource root).
    const panel = vscode.window.createWebviewPanel(FORM_VIEW_TYPE, 'ServiceTitan CRM form', vscode.ViewColumn.Active, {});
    return this.track(new FormSession(panel, target, this.services));
  }

  private restore(panel: vscode.WebviewPanel, state: unknown, log: Log): Promise<void> {
    const parsed = pageStateSchema.safeParse(state);
    if (!parsed.success) {
      log.warn('A ServiceTitan CRM form could not be restored after the reload (no or unreadable saved state): it was closed.');
      panel.dispose();
      return Promise.resolve();
    }
    if (this.sessions.has(formIdentity(parsed.data.target))) {
      log.info('A restored ServiceTitan CRM form was open already: the copy was closed.');
      panel.dispose();
      return Promise.resolve();
    }
    this.track(new FormSession(panel, parsed.data.target, this.services));
    return Promise.resolve();
  }

  private track(session: FormSession): FormSession {
    this.sessions.set(session.identity, session);
    session.onDidClose(() => {
      if (this.sessions.get(session.identity) === session) this.sessions.delete(session.identity);
    });
    return session;
  }

  dispose(): void {
    this.registration.dispose();
    for (const session of this.sessions.values()) session.panel.dispose();
  }
}
