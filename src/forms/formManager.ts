/**
 * Opens forms (one panel per form: opening it again shows the open one), and brings them back
 * after a window reload (for the serializer src/forms/forms.ts registers). Each form gets a random id when it opens; the
 * host records id → target in the workspace state, and the page's saved state carries only that
 * id and what was typed. So a page can ask to be restored only as the form it was: a state
 * naming an id this window did not open (or a record, as older pages saved it) is closed.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import * as z from 'zod';
import { errorMessage } from '../common/commands';
import { Disposable } from '../common/lifecycle';
import { PayloadDiagnostics } from '../diagnostics/problemDiagnostics';
import { FormSession, formIdentity, type FormServices } from './formSession';
import { FORM_VIEW_TYPE } from './formViewType';
import { formIdSchema, formTargetSchema, pageStateSchema, type FormTarget } from './page/protocol';

/** Workspace-state key of the forms this window opened and has not closed: `{ formId, target }[]`. */
export const OPENED_FORMS_KEY = 'stcrm.openedForms';
/** Open forms remembered at most (the oldest are forgotten first). */
const MAX_OPENED = 50;
const openedFormSchema = z.strictObject({ formId: formIdSchema, target: formTargetSchema });
type OpenedForm = z.infer<typeof openedFormSchema>;

/** What the forms need from the rest of the extension: the payload diagnostics are their own. */
export type FormHostServices = Omit<FormServices, 'diagnostics'>;

export class FormManager extends Disposable {
  private readonly sessions = new Map<string, FormSession>();
  /** Set while the extension shuts down (a window reload): its forms stay recorded, to be restored. */
  private disposing = false;
  private readonly services: FormServices;

  constructor(services: FormHostServices) {
    super();
    this.services = { ...services, diagnostics: new PayloadDiagnostics() };
  }

  /** Opens the form for `target`, or shows it when it is open already. */
  open(target: FormTarget): FormSession {
    const identity = formIdentity(target);
    const open = this.sessions.get(identity);
    if (open) {
      open.panel.reveal(undefined, false);
      return open;
    }
    const formId = randomBytes(18).toString('base64url');
    this.remember({ formId, target });
    // FormSession sets the webview's options (scripts, and dist/webview as the only resource root).
    const panel = vscode.window.createWebviewPanel(FORM_VIEW_TYPE, 'ServiceTitan CRM form', vscode.ViewColumn.Active, {});
    return this.track(new FormSession(panel, target, this.services, formId));
  }

  /**
   * Brings back a form after a window reload (the serializer's entry; tests call it too): the
   * form this window opened under the id in the page's saved state, for the record recorded with
   * that id. Anything else closes the panel, with a line in the log.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<FormSession | undefined> {
    const log = this.services.log;
    const parsed = pageStateSchema.safeParse(state);
    if (!parsed.success) {
      log.warn('A ServiceTitan CRM form could not be restored after the reload (no or unreadable saved state): it was closed.');
      panel.dispose();
      return Promise.resolve(undefined);
    }
    const { formId } = parsed.data;
    const target = this.opened().find((form) => form.formId === formId)?.target;
    if (!target) {
      log.warn(
        'A ServiceTitan CRM form was not restored after the reload: its saved state names no form this window opened (or it was closed since). It was closed.',
      );
      panel.dispose();
      return Promise.resolve(undefined);
    }
    if (this.sessions.has(formIdentity(target))) {
      log.info('A restored ServiceTitan CRM form was open already: the copy was closed.');
      this.forget(formId);
      panel.dispose();
      return Promise.resolve(undefined);
    }
    return Promise.resolve(this.track(new FormSession(panel, target, this.services, formId)));
  }

  private track(session: FormSession): FormSession {
    this.sessions.set(session.identity, session);
    session.onDidClose(() => {
      if (this.sessions.get(session.identity) === session) this.sessions.delete(session.identity);
      if (!this.disposing) this.forget(session.formId);
    });
    return session;
  }

  /** The recorded forms that still read as such (an entry from an older version is skipped). */
  private opened(): OpenedForm[] {
    const stored = this.services.drafts.get<unknown>(OPENED_FORMS_KEY);
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((entry) => {
      const parsed = openedFormSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  private remember(form: OpenedForm): void {
    this.store([...this.opened().slice(-(MAX_OPENED - 1)), form]);
  }

  private forget(formId: string): void {
    const opened = this.opened();
    const kept = opened.filter((form) => form.formId !== formId);
    if (kept.length !== opened.length) this.store(kept);
  }

  private store(opened: OpenedForm[]): void {
    // The memento takes the new value at once (what `opened()` reads next); writing it out may fail.
    this.services.drafts.update(OPENED_FORMS_KEY, opened.length > 0 ? opened : undefined).then(undefined, (error: unknown) => {
      this.services.log.warn(`The list of open ServiceTitan CRM forms could not be saved: ${errorMessage(error)}`);
    });
  }

  /** Closes the open forms (they stay recorded, to be restored after a window reload), then the diagnostics they cleared. */
  override dispose(): void {
    this.disposing = true;
    super.dispose();
    for (const session of this.sessions.values()) session.panel.dispose();
    this.services.diagnostics.dispose();
  }
}
