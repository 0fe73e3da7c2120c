/**
 * One open form: its webview panel (strict CSP, nonce), the messages from its page (each checked
 * with the protocol's zod schema; a bad one is logged and dropped), its draft, and its submits:
 * check, send through the controller's steps, and report the outcome under the fields and as
 * diagnostics on the submitted payload.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { NetworkError, ProblemError, RequestValidationError, TimeoutError } from '../api/errors';
import type { CrmClient } from '../api/client';
import { findPossiblyCreated } from '../api/recovery';
import { problemMessage } from '../api/problem';
import { errorMessage, isCancellation } from '../common/commands';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import type { PayloadDiagnostics, PathError, ProblemInfo } from '../diagnostics/problemDiagnostics';
import type { EntityKind } from '../model/entities';
import type { RecordChange, RecordChanges } from '../model/recordChanges';
import type { ConnectionManager } from '../profiles/connection';
import { controllerFor, describeProgress, describeRecord, NothingToSave, StepError, type FormController, type LoadedForm } from './formControllers';
import { emptyValues, formSpec, payloadOf, validateForm, type FormValues } from './formModel';
import {
  EMPTY_PROGRESS,
  fromWebviewSchema,
  parseMessage,
  toWebviewSchema,
  type FormProgress,
  type FormTarget,
  type FromWebview,
  type SubmitOutcome,
  type ToWebview,
} from './protocol';

export const FORM_VIEW_TYPE = 'stcrm.form';

/** What a form keeps between sessions (workspace state), so closing and reopening it loses nothing. */
export interface FormDraft {
  values: FormValues;
  progress: FormProgress;
}

export interface FormServices {
  extensionUri: vscode.Uri;
  connections: ConnectionManager;
  records: RecordChanges;
  diagnostics: PayloadDiagnostics;
  drafts: vscode.Memento;
  log: Log;
}

/** The key of a form's draft and of "one panel per form": the profile, the kind and the record. */
export function formIdentity(target: FormTarget): string {
  const { kind, profileId, ...ids } = target;
  return [profileId, kind, ...Object.values(ids).map(String)].join(':');
}

const draftKey = (target: FormTarget): string => `stcrm.formDraft:${formIdentity(target)}`;

export class FormSession implements vscode.Disposable {
  readonly identity: string;
  private readonly controller: FormController;
  private loaded: LoadedForm | undefined;
  private values: FormValues | undefined;
  private progress: FormProgress;
  private done: SubmitOutcome | undefined;
  private busy = false;
  private gone: string | undefined;
  private readonly payloadUri: vscode.Uri;
  private readonly posted = new vscode.EventEmitter<ToWebview>();
  /** Every message sent to the page, for tests. */
  readonly onDidPost = this.posted.event;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly target: FormTarget,
    private readonly services: FormServices,
  ) {
    this.identity = formIdentity(target);
    this.controller = controllerFor(target);
    const draft = services.drafts.get<FormDraft>(draftKey(target));
    this.values = draft?.values;
    this.progress = draft?.progress ?? structuredClone(EMPTY_PROGRESS);
    this.payloadUri = services.diagnostics.uriFor(randomBytes(6).toString('hex'), target.kind);
    const webviewRoot = vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    panel.webview.html = this.html(webviewRoot);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      services.records.subscribe((change) => this.onRecordChange(change)),
    );
  }

  /** Handles one message from the page, exactly as the webview delivers it (tests call it too). */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseMessage(fromWebviewSchema, raw);
    if (!parsed.ok) {
      this.services.log.warn(`Dropped an invalid message from the ${this.target.kind} form: ${parsed.why}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      // Nothing a page sends may crash the host: report it and keep the form.
      if (!isCancellation(error)) this.services.log.error(`The ${this.target.kind} form failed on "${parsed.message.type}"`, error);
    }
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        try {
          return await this.sendInit(message.values);
        } catch (error) {
          // A form that cannot load (the record is gone, another profile is active) says why and closes.
          this.services.log.error(`Opening the ${this.target.kind} form failed`, error);
          void notifyProblem(this.services.log, 'error', `The form could not be opened: ${errorMessage(error)}`);
          this.panel.dispose();
          return;
        }
      case 'changed':
        this.values = message.values;
        return this.saveDraft();
      case 'submit':
        return this.submit(message);
      case 'close':
        return this.close(message.dirty);
      case 'createAnother':
        this.values = emptyValues(this.target.kind);
        this.progress = structuredClone(EMPTY_PROGRESS);
        this.done = undefined;
        await this.clearDraft();
        return this.sendInit(undefined);
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(`Copied ${message.text}`, 3000);
        return;
    }
  }

  private async sendInit(pageValues: FormValues | undefined): Promise<void> {
    const client = await this.client();
    this.loaded ??= await this.controller.load(client);
    this.panel.title = this.loaded.title;
    // After a window reload the page's own state is the newest; else the draft; else the record.
    this.values = pageValues ?? this.values ?? this.loaded.original ?? emptyValues(this.target.kind);
    const profile = (await this.services.connections.active())?.profile;
    this.post({
      type: 'init',
      form: {
        kind: this.target.kind,
        target: this.target,
        title: this.loaded.title,
        subtitle: this.loaded.subtitle,
        profile: profile ? `Profile ${profile.name} · tenant ${profile.tenant}` : 'No active profile',
        production: profile?.environment === 'production',
        original: this.loaded.original,
      },
      values: this.values,
      progress: this.progress,
      done: this.done,
    });
    if (this.gone) this.post({ type: 'recordGone', message: this.gone });
  }

  private async submit(message: Extract<FromWebview, { type: 'submit' }>): Promise<void> {
    const { requestId, values } = message;
    const reply = (outcome: SubmitOutcome) => this.post({ type: 'result', requestId, outcome });
    if (this.busy) return reply(this.failure('failed', 'The form is being sent already: wait for its answer.'));
    this.busy = true;
    this.values = values;
    try {
      await this.saveDraft();
      reply(await this.send(requestId, values, message.resolution));
    } finally {
      this.busy = false;
    }
  }

  private async send(requestId: string, values: FormValues, resolution: { use: string } | { createAnyway: true } | undefined): Promise<SubmitOutcome> {
    const kind = this.target.kind;
    const payload = payloadOf(kind, values);
    const issues = validateForm(kind, values);
    if (issues.length > 0) {
      await this.services.diagnostics.report(this.payloadUri, payload, issues, undefined, true);
      return this.failure('invalid', `${issues.length === 1 ? 'One field needs' : `${issues.length} fields need`} attention: nothing was sent.`, { fieldErrors: issues });
    }
    if (this.gone) return this.failure('failed', this.gone);
    let client: CrmClient;
    try {
      client = await this.client();
    } catch (error) {
      return this.failure('failed', errorMessage(error));
    }
    if (!(await this.confirmProduction())) return this.failure('failed', 'Not sent: the change to the production tenant was not confirmed.');
    const since = new Date();
    const progress = structuredClone(this.progress);
    try {
      const saved = await this.controller.submit({
        client,
        values,
        original: this.loaded?.original,
        progress,
        use: resolution && 'use' in resolution ? resolution.use : undefined,
        step: (text) => this.post({ type: 'submitting', requestId, step: text }),
        publish: (change) => this.services.records.publish(change),
      });
      this.progress = progress;
      this.services.diagnostics.clear(this.payloadUri);
      this.services.log.info(`${formSpec(kind).submitLabel}: ${saved.message}`);
      this.done = { status: 'saved', message: saved.message, id: saved.id, progress };
      await this.clearDraft();
      if (formSpec(kind).edit) {
        void vscode.window.setStatusBarMessage(saved.message, 5000);
        setTimeout(() => {
          this.panel.dispose();
        }, 0);
      }
      return this.done;
    } catch (error) {
      this.progress = progress;
      await this.saveDraft();
      return this.failed(error, payload, client, since);
    }
  }

  /** Turns a failed submit into what the form shows, and puts field errors on the payload document. */
  private async failed(error: unknown, payload: Record<string, unknown>, client: CrmClient, since: Date): Promise<SubmitOutcome> {
    const done = describeProgress(this.progress, this.target);
    const withDone = (text: string): string => (done ? `${text} ${done}` : text);
    if (error instanceof NothingToSave) return this.failure('invalid', error.message);
    if (!(error instanceof StepError)) {
      this.services.log.error(`The ${this.target.kind} form failed`, error);
      return this.failure('failed', withDone(errorMessage(error)));
    }
    const cause = error.cause;
    this.services.log.warn(`${error.step} failed: ${errorMessage(cause)}`);
    // A 4xx problem is about what was sent; a 5xx is the server's own trouble (and no field's).
    if ((cause instanceof ProblemError && cause.status < 500) || cause instanceof RequestValidationError) {
      const fieldErrors = (cause instanceof ProblemError ? cause.fieldErrors : cause.issues)
        .filter((issue) => issue.location === 'body' && issue.path.length > 0)
        .map((issue) => ({ path: [...error.base, ...issue.path], message: issue.message }));
      const problem: ProblemInfo | undefined = cause instanceof ProblemError ? { type: cause.problem.type, title: cause.problem.title, status: cause.status, traceId: cause.traceId } : undefined;
      const summary = cause instanceof ProblemError ? problemMessage(cause.problem, cause.status) : cause.message;
      // Errors that name no field of the payload still get a diagnostic, at the payload's root.
      const placed: PathError[] = fieldErrors.length > 0 ? fieldErrors : [{ path: error.base, message: cause instanceof ProblemError ? (cause.problem.title ?? summary) : summary }];
      await this.services.diagnostics.report(this.payloadUri, payload, placed, problem, true);
      const who = cause instanceof ProblemError ? 'ServiceTitan rejected it' : 'The client refused to send it';
      return this.failure(cause instanceof ProblemError ? 'rejected' : 'invalid', withDone(`${error.step} failed: ${who}. ${summary}`), {
        fieldErrors,
        title: problem?.title,
        traceId: problem?.traceId,
      });
    }
    if ((cause instanceof NetworkError || cause instanceof TimeoutError) && cause.outcomeUnknown && error.recovery) {
      let candidates: { id: string; label: string; detail: string }[] = [];
      try {
        const found = await findPossiblyCreated(client, error.recovery.operationId, error.recovery.input, { since });
        candidates = found.map((candidate) => describeRecord(candidate.record)).filter((item): item is NonNullable<typeof item> => item !== undefined);
      } catch (lookup) {
        this.services.log.warn(`Looking for what "${error.step}" may have created failed: ${errorMessage(lookup)}`);
      }
      const found =
        candidates.length > 0
          ? `Found ${candidates.length === 1 ? 'a record that matches' : `${candidates.length} records that match`}: use it instead of creating another.`
          : 'Nothing matching was found (yet): create it now, or check ServiceTitan first.';
      return this.failure('maybeCreated', withDone(`${error.step}: ${cause.message} ${found}`), { candidates });
    }
    return this.failure('failed', withDone(`${error.step} failed: ${errorMessage(cause)}`));
  }

  private failure(status: 'invalid' | 'rejected' | 'failed' | 'maybeCreated', message: string, extra: Partial<Exclude<SubmitOutcome, { status: 'saved' }>> = {}): SubmitOutcome {
    return { status, message, fieldErrors: [], progress: this.progress, ...extra };
  }

  /** Writes to a production tenant only after a modal yes. */
  private async confirmProduction(): Promise<boolean> {
    const profile = (await this.services.connections.active())?.profile;
    if (profile?.environment !== 'production') return true;
    const choice = await vscode.window.showWarningMessage(
      `Send "${this.loaded?.title ?? formSpec(this.target.kind).submitLabel}" to the PRODUCTION tenant ${profile.tenant}?`,
      { modal: true, detail: `Profile "${profile.name}". This changes real customer data.` },
      'Send to Production',
    );
    return choice === 'Send to Production';
  }

  /** The client of the profile the form was opened for; never another tenant's. */
  private async client(): Promise<CrmClient> {
    const connection = await this.services.connections.require();
    if (connection.profile.id !== this.target.profileId) {
      throw new Error('This form belongs to another ServiceTitan profile than the active one, so nothing is sent. Switch back to that profile, or close the form.');
    }
    return connection.client;
  }

  private async close(dirty: boolean): Promise<void> {
    if (dirty) {
      const choice = await vscode.window.showWarningMessage(`Discard what you typed in "${this.panel.title}"?`, { modal: true, detail: 'The draft is deleted.' }, 'Discard');
      if (choice !== 'Discard') return;
    }
    await this.clearDraft();
    this.panel.dispose();
  }

  private onRecordChange(change: RecordChange): void {
    if (change.type !== 'deleted' || !this.edits(change.kind, change.id)) return;
    this.gone = 'This record was deleted, so the form can no longer be saved.';
    this.post({ type: 'recordGone', message: this.gone });
  }

  /** Whether this form works on the record `kind` / `id` (an edit of it, or a new method of that person). */
  private edits(kind: EntityKind, id: string): boolean {
    const t = this.target;
    if (t.kind === 'editContact') return kind === 'person' && t.contactId === id;
    if (t.kind === 'editContactMethod') return kind === 'contactMethod' && t.contactMethodId === id;
    if (t.kind === 'editCustomerContact') return kind === 'customerContact' && String(t.contactId) === id;
    if (t.kind === 'editLocationContact') return kind === 'locationContact' && String(t.contactId) === id;
    if (t.kind === 'createContactMethod') return kind === 'person' && t.contactId === id;
    return false;
  }

  private post(message: ToWebview): void {
    const checked = toWebviewSchema.parse(message);
    this.posted.fire(checked);
    if (!this.disposed) void this.panel.webview.postMessage(checked);
  }

  private saveDraft(): Thenable<void> {
    if (!this.values) return Promise.resolve();
    const draft: FormDraft = { values: this.values, progress: this.progress };
    return this.services.drafts.update(draftKey(this.target), draft);
  }

  private clearDraft(): Thenable<void> {
    return this.services.drafts.update(draftKey(this.target), undefined);
  }

  private html(root: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'forms.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'forms.css'));
    const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>ServiceTitan CRM form</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.services.diagnostics.clear(this.payloadUri);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.closed.fire();
    this.closed.dispose();
    this.posted.dispose();
  }
}
