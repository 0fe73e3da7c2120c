/**
 * One open form: its webview panel (strict CSP, nonce), the messages from its page (each checked
 * with the protocol's zod schema; a bad one is logged and dropped), its draft, and its submits:
 * check, send through the controller's steps, and report the outcome under the fields and as
 * diagnostics on the submitted payload.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ProblemError, RequestValidationError } from '../api/errors';
import { isProductionProfile } from '../profiles/profiles';
import type { CrmClient } from '../api/client';
import { problemMessage } from '../api/problem';
import { errorMessage, isCancellation } from '../common/commands';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import type { PayloadDiagnostics, PathError, ProblemInfo } from '../diagnostics/problemDiagnostics';
import { entityId, type EntityKind } from '../model/entities';
import type { RecordChange, RecordChanges } from '../model/recordChanges';
import type { ConnectionManager } from '../profiles/connection';
import { ProfileChangedError, type WritePipeline } from '../records/writePipeline';
import { describeCandidates, type DescribedCandidate } from '../writes/candidates';
import { lookForLostCreate, type LostCreate, type Resolution, type WriteConnection, type WriteOutcome } from '../writes/engine';
import type { WritePlan } from '../writes/plan';
import { controllerFor, formProgressOf, NothingToSave, writeProgressOf, type FormController, type LoadedForm, type Saved } from './formControllers';
import { emptyValues, formSpec, payloadOf, validateForm, type FormValues } from './page/formModel';
import * as z from 'zod';
import {
  clip,
  EMPTY_PROGRESS,
  formValuesSchema,
  fromWebviewSchema,
  LIMITS,
  parseMessage,
  progressSchema,
  toWebviewSchema,
  type FormProgress,
  type FormTarget,
  type FromWebview,
  type SubmitOutcome,
  type ToWebview,
} from './page/protocol';

/**
 * What a form keeps between sessions (workspace state), so closing and reopening it loses nothing.
 * Checked when read like any message: its row ids came from a page.
 */
const formDraftSchema = z.strictObject({ values: formValuesSchema, progress: progressSchema });
export type FormDraft = z.infer<typeof formDraftSchema>;

export interface FormServices {
  extensionUri: vscode.Uri;
  connections: ConnectionManager;
  records: RecordChanges;
  writes: WritePipeline;
  diagnostics: PayloadDiagnostics;
  drafts: vscode.Memento;
  log: Log;
}

/** The key of a form's draft and of "one panel per form": the profile, the kind and the record. */
export function formIdentity(target: FormTarget): string {
  const { kind, profileId, ...ids } = target;
  // A target restored from the page's state has no key for an id left out, a new one may have it as undefined.
  return [
    profileId,
    kind,
    ...Object.values(ids)
      .filter((id) => id !== undefined)
      .map(String),
  ].join(':');
}

const draftKey = (target: FormTarget): string => `stcrm.formDraft:${formIdentity(target)}`;

export class FormSession extends Disposable {
  readonly identity: string;
  private readonly controller: FormController;
  private loading: Promise<LoadedForm> | undefined;
  private loaded: LoadedForm | undefined;
  private values: FormValues | undefined;
  private progress: FormProgress;
  /** The outcome of the last submit, shown again to a page that was hidden when it came. */
  private last: SubmitOutcome | undefined;
  /** The submit being sent now, if any. */
  private pending: string | undefined;
  private gone: string | undefined;
  /** Texts this host showed with a Copy button (trace IDs): the only ones a page may copy. */
  private readonly copyable = new Set<string>();
  /** Stops the requests of a form that was closed. */
  private readonly aborter = new AbortController();
  private draftTimer: NodeJS.Timeout | undefined;
  /** A create whose answer was lost, and what it may have made (the only records a page may pick), until the user says what to do. */
  private lostCreate: { lost: LostCreate; candidates: DescribedCandidate[] } | undefined;
  private readonly payloadUri: vscode.Uri;
  private readonly posted = new vscode.EventEmitter<ToWebview>();
  /** Every message sent to the page, for tests. */
  readonly onDidPost = this.posted.event;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  /**
   * `formId` is the id the manager recorded for this form (restoring it after a reload); the
   * page keeps it in its saved state and names no record itself.
   */
  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly target: FormTarget,
    private readonly services: FormServices,
    readonly formId: string,
  ) {
    super();
    this.identity = formIdentity(target);
    this.controller = controllerFor(target);
    const draft = this.readDraft();
    this.values = draft?.values;
    this.progress = draft?.progress ?? structuredClone(EMPTY_PROGRESS);
    this.payloadUri = services.diagnostics.uriFor(randomBytes(6).toString('hex'), target.kind);
    const webviewRoot = vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    panel.webview.html = this.html(webviewRoot);
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(services.records.subscribe((change) => this.onRecordChange(change)));
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
        this.saveDraftSoon();
        return;
      case 'submit':
        return this.submit(message);
      case 'close':
        return this.close(message.dirty);
      case 'createAnother':
        this.lostCreate = undefined;
        this.values = emptyValues(this.target.kind);
        this.progress = structuredClone(EMPTY_PROGRESS);
        this.last = undefined;
        await this.clearDraft();
        return this.sendInit(undefined);
      case 'copy':
        if (!this.copyable.has(message.text)) {
          this.services.log.warn(`Dropped a copy request from the ${this.target.kind} form for text it was not shown`);
          return;
        }
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(`Copied ${message.text}`, 3000);
        return;
    }
  }

  private async sendInit(pageValues: FormValues | undefined): Promise<void> {
    const loaded = await this.load();
    this.panel.title = clip(loaded.title, LIMITS.title);
    // After a window reload the page's own state is the newest; else the draft; else the record.
    this.values = pageValues ?? this.values ?? loaded.original ?? emptyValues(this.target.kind);
    const profile = (await this.services.connections.active())?.profile;
    this.post({
      type: 'init',
      form: {
        kind: this.target.kind,
        formId: this.formId,
        title: clip(loaded.title, LIMITS.title),
        subtitle: loaded.subtitle === undefined ? undefined : clip(loaded.subtitle, LIMITS.subtitle),
        profile: clip(profile ? `Profile ${profile.name} · tenant ${profile.tenant}` : 'No active profile', LIMITS.title),
        production: profile ? isProductionProfile(profile) : false,
        original: loaded.original,
      },
      values: this.values,
      progress: this.progress,
      last: this.last,
      pending: this.pending,
    });
    if (this.gone) this.post({ type: 'recordGone', message: this.gone });
  }

  /** The form's record as the server has it (loaded once; concurrent callers share the load). */
  private load(): Promise<LoadedForm> {
    this.loading ??= this.client()
      .then((client) => this.controller.load(client))
      .then((loaded) => (this.loaded = loaded))
      .catch((error: unknown) => {
        this.loading = undefined;
        throw error;
      });
    return this.loading;
  }

  private async submit(message: Extract<FromWebview, { type: 'submit' }>): Promise<void> {
    const { requestId, values } = message;
    const reply = (outcome: SubmitOutcome): void => {
      this.last = outcome;
      this.post({ type: 'result', requestId, outcome });
    };
    if (this.pending) return reply(this.failure('failed', 'The form is being sent already: wait for its answer.'));
    this.pending = requestId;
    this.values = values;
    try {
      await this.saveDraft();
      const outcome = await this.send(requestId, values, message.resolution);
      this.pending = undefined;
      reply(outcome);
    } finally {
      this.pending = undefined;
    }
  }

  private async send(requestId: string, values: FormValues, resolution: { use: string } | { createAnyway: true } | undefined): Promise<SubmitOutcome> {
    const kind = this.target.kind;
    const payload = payloadOf(kind, values);
    const issues = validateForm(kind, values);
    if (issues.length > 0) {
      await this.services.diagnostics.report(this.payloadUri, payload, issues, undefined, true);
      return this.failure('invalid', `${issues.length === 1 ? 'One field needs' : `${issues.length} fields need`} attention: nothing was sent.`, {
        fieldErrors: issues,
      });
    }
    if (this.gone) return this.failure('failed', this.gone);
    if (!formSpec(kind).edit && this.last?.status === 'saved') return this.failure('failed', 'This was created already: choose Create Another for a new one.');
    let connection: WriteConnection;
    try {
      connection = await this.connection();
    } catch (error) {
      return this.failure('failed', errorMessage(error));
    }
    // A plain submit after a lost answer looks again; only a choice goes on.
    if (this.lostCreate && resolution === undefined) return this.lookAgain(connection, values);
    let chosen: Resolution | undefined;
    if (resolution && 'use' in resolution) {
      const candidate = this.lostCreate?.candidates.find((found) => found.id === resolution.use);
      if (!candidate) return this.failure('failed', 'That record is not one of those found for this form: submit again to look once more.');
      chosen = { use: candidate.record };
    } else if (resolution) {
      chosen = { createAnyway: true };
    }
    this.lostCreate = undefined;
    let plan: WritePlan<Saved>;
    try {
      plan = this.controller.plan(values, this.loaded);
    } catch (error) {
      if (error instanceof NothingToSave) return this.failure('invalid', error.message);
      throw error;
    }
    const progress = writeProgressOf(this.progress);
    const outcome = await this.services.writes.run(connection, plan, {
      progress,
      resolution: chosen,
      signal: this.aborter.signal,
      onStep: (label) => this.post({ type: 'submitting', requestId, step: clip(`${label}…`, LIMITS.step) }),
    });
    this.progress = formProgressOf(progress, values);
    switch (outcome.status) {
      case 'done':
        return this.saved(outcome.result, payload);
      case 'declined':
        return this.failure('failed', 'Not sent: the change to the production tenant was not confirmed.');
      case 'failed':
        await this.saveDraft();
        return this.failed(outcome, payload);
      case 'maybeCreated':
        await this.saveDraft();
        this.lostCreate = { lost: outcome.lost, candidates: describeCandidates(outcome.candidates).slice(0, LIMITS.candidates) };
        if (outcome.lookupError) this.services.log.warn(`Looking for what "${outcome.step.label}" may have created failed: ${outcome.lookupError}`);
        return this.maybeCreated(outcome.lookupError, outcome.done);
    }
  }

  private async saved(saved: Saved, payload: Record<string, unknown>): Promise<SubmitOutcome> {
    const kind = this.target.kind;
    // The payload document shows what was sent last, without the errors of an earlier try.
    await this.services.diagnostics.report(this.payloadUri, payload, [], undefined, false);
    this.services.log.info(`${formSpec(kind).submitLabel}: ${saved.message}`);
    const done: SubmitOutcome = { status: 'saved', message: clip(saved.message, LIMITS.message), id: saved.id, progress: this.progress };
    await this.clearDraft();
    if (formSpec(kind).edit) {
      void vscode.window.setStatusBarMessage(saved.message, 5000);
      setTimeout(() => {
        this.panel.dispose();
      }, 0);
    }
    return done;
  }

  /** Turns a failed submit into what the form shows, and puts field errors on the payload document. */
  private async failed(outcome: Extract<WriteOutcome<Saved>, { status: 'failed' }>, payload: Record<string, unknown>): Promise<SubmitOutcome> {
    const { step, error: cause } = outcome;
    const withDone = (text: string): string => (outcome.done ? `${text} ${outcome.done}` : text);
    this.services.log.warn(`${step.label} failed: ${errorMessage(cause)}`);
    // A 4xx problem is about what was sent; a 5xx is the server's own trouble (and no field's).
    if ((cause instanceof ProblemError && cause.status < 500) || cause instanceof RequestValidationError) {
      const fieldErrors = (cause instanceof ProblemError ? cause.fieldErrors : cause.issues)
        .filter((issue) => issue.location === 'body' && issue.path.length > 0)
        .map((issue) => ({ path: [...step.base, ...issue.path], message: issue.message }));
      const problem: ProblemInfo | undefined =
        cause instanceof ProblemError ? { type: cause.problem.type, title: cause.problem.title, status: cause.status, traceId: cause.traceId } : undefined;
      const summary = cause instanceof ProblemError ? problemMessage(cause.problem, cause.status) : cause.message;
      // Errors that name no field of the payload still get a diagnostic, at the payload's root.
      const placed: PathError[] =
        fieldErrors.length > 0 ? fieldErrors : [{ path: [...step.base], message: cause instanceof ProblemError ? (cause.problem.title ?? summary) : summary }];
      await this.services.diagnostics.report(this.payloadUri, payload, placed, problem, true);
      const who = cause instanceof ProblemError ? 'ServiceTitan rejected it' : 'The client refused to send it';
      return this.failure(cause instanceof ProblemError ? 'rejected' : 'invalid', withDone(`${step.label} failed: ${who}. ${summary}`), {
        fieldErrors,
        title: problem?.title,
        traceId: problem?.traceId,
      });
    }
    return this.failure('failed', withDone(`${step.label} failed: ${errorMessage(cause)}`));
  }

  /**
   * After a create whose answer was lost: what it may have made. Until the user picks one of
   * them or says "create anyway", every submit looks again instead of creating a second record.
   */
  private async lookAgain(connection: WriteConnection, values: FormValues): Promise<SubmitOutcome> {
    const lost = this.lostCreate;
    if (!lost) return this.failure('failed', 'Nothing to look for.');
    const { candidates, lookupError } = await lookForLostCreate(connection.client, lost.lost, this.aborter.signal);
    if (lookupError) this.services.log.warn(`Looking for what "${lost.lost.step.label}" may have created failed: ${lookupError}`);
    this.lostCreate = { lost: lost.lost, candidates: describeCandidates(candidates).slice(0, LIMITS.candidates) };
    return this.maybeCreated(lookupError, this.controller.plan(values, this.loaded).describeDone?.(writeProgressOf(this.progress)));
  }

  private maybeCreated(lookupError: string | undefined, done: string | undefined): SubmitOutcome {
    const lost = this.lostCreate;
    if (!lost) return this.failure('failed', 'Nothing to look for.');
    const count = lost.candidates.length;
    // A lookup that failed did not find nothing: it could not look.
    const found =
      count > 0
        ? `Found ${count === 1 ? 'a record that matches' : `${count} records that match`}: use it instead of creating another.`
        : lookupError
          ? `Could not check whether it was created (${lookupError}): check ServiceTitan before you send it again.`
          : 'Nothing matching was found (yet): create it now, or check ServiceTitan first.';
    const candidates = lost.candidates.map(({ id, label, detail }) => ({ id, label, detail }));
    return this.failure('maybeCreated', `${lost.lost.step.label}: ${lost.lost.reason} ${found}${done ? ` ${done}` : ''}`, { candidates });
  }

  /** A failed submit's outcome, cut to what the protocol carries (a server's text can be long). */
  private failure(
    status: 'invalid' | 'rejected' | 'failed' | 'maybeCreated',
    message: string,
    extra: Partial<Exclude<SubmitOutcome, { status: 'saved' }>> = {},
  ): SubmitOutcome {
    const fieldErrors = (extra.fieldErrors ?? [])
      .filter((error) => error.path.length <= 20 && error.path.every((segment) => typeof segment === 'string' || segment <= LIMITS.pathIndex))
      .slice(0, LIMITS.fieldErrors)
      .map((error) => ({
        path: error.path.map((segment) => (typeof segment === 'string' ? clip(segment, 200) : segment)),
        message: clip(error.message, LIMITS.fieldMessage),
      }));
    if (extra.traceId) this.copyable.add(extra.traceId);
    return {
      ...extra,
      status,
      message: clip(message, LIMITS.message),
      title: extra.title === undefined ? undefined : clip(extra.title, 500),
      traceId: extra.traceId === undefined ? undefined : clip(extra.traceId, 200),
      fieldErrors,
      progress: this.progress,
    };
  }

  /** The connection of the profile the form was opened for, read once per submit; never another tenant's. */
  private async connection(): Promise<WriteConnection> {
    try {
      return await this.services.writes.connection(this.target.profileId);
    } catch (error) {
      if (error instanceof ProfileChangedError)
        throw new Error('This form belongs to another ServiceTitan profile than the active one. Switch back to that profile, or close the form.');
      throw error;
    }
  }

  private async client(): Promise<CrmClient> {
    return (await this.connection()).client;
  }

  private async close(dirty: boolean): Promise<void> {
    if (dirty) {
      const choice = await vscode.window.showWarningMessage(
        `Discard what you typed in "${this.panel.title}"?`,
        { modal: true, detail: 'The draft is deleted.' },
        'Discard',
      );
      if (choice !== 'Discard') return;
    }
    await this.clearDraft();
    this.panel.dispose();
  }

  private onRecordChange(change: RecordChange): void {
    if (change.type === 'updated') {
      // Changed elsewhere (Archive in the tree…): compare the next save with the record as it is now.
      // (A change this form is sending itself is no news.)
      if (!this.pending && this.loaded?.original && this.edits(change.entity.kind, entityId(change.entity))) {
        this.loading = undefined;
        void this.load()
          .then(() => this.sendInit(undefined))
          .catch((error: unknown) => this.services.log.warn(`Reloading the ${this.target.kind} form after a change failed: ${errorMessage(error)}`));
      }
      return;
    }
    if (change.type !== 'deleted' || !this.edits(change.kind, change.id)) return;
    this.gone = 'This record (or the one it belongs to) was deleted, so the form can no longer be saved.';
    this.post({ type: 'recordGone', message: this.gone });
  }

  /** Whether this form works on the record `kind` / `id`, or on a record that belongs to it. */
  private edits(kind: EntityKind, id: string): boolean {
    const t = this.target;
    if (t.kind === 'editContact') return kind === 'person' && t.contactId === id;
    if (t.kind === 'editContactMethod') return (kind === 'contactMethod' && t.contactMethodId === id) || (kind === 'person' && t.contactId === id);
    if (t.kind === 'editCustomerContact') return kind === 'customerContact' && String(t.contactId) === id;
    if (t.kind === 'editLocationContact') return kind === 'locationContact' && String(t.contactId) === id;
    if (t.kind === 'createContactMethod') return kind === 'person' && t.contactId === id;
    if (t.kind === 'createContact') return kind === 'person' && this.progress.person?.id === id;
    return false;
  }

  private post(message: ToWebview): void {
    const checked = toWebviewSchema.safeParse(message);
    if (!checked.success) {
      // A bug here must not leave the page waiting for an answer forever.
      this.services.log.error(`The ${this.target.kind} form could not send its page a "${message.type}" message`, checked.error);
      if (message.type === 'result')
        this.post({
          ...message,
          outcome: {
            status: 'failed',
            message: 'The answer could not be shown here: see the log (ServiceTitan CRM: Show Log).',
            fieldErrors: [],
            progress: this.progress,
          },
        });
      return;
    }
    this.posted.fire(checked.data);
    if (!this.isDisposed) void this.panel.webview.postMessage(checked.data);
  }

  /** Saves the draft a moment after the last change (the page reports every keystroke). */
  private saveDraftSoon(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => void this.saveDraft(), 300);
  }

  private saveDraft(): Thenable<void> {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    if (!this.values) return Promise.resolve();
    const draft: FormDraft = { values: this.values, progress: this.progress };
    return this.services.drafts.update(draftKey(this.target), draft);
  }

  /** The saved draft, or undefined when there is none or it does not read as one (it is then set aside). */
  private readDraft(): FormDraft | undefined {
    const stored = this.services.drafts.get<unknown>(draftKey(this.target));
    if (stored === undefined) return undefined;
    const parsed = parseMessage(formDraftSchema, stored);
    if (parsed.ok) return parsed.message;
    this.services.log.warn(`The saved draft of the ${this.target.kind} form could not be read (${parsed.why}): the form starts without it.`);
    return undefined;
  }

  private clearDraft(): Thenable<void> {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    return this.services.drafts.update(draftKey(this.target), undefined);
  }

  private html(root: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'forms.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'forms.css'));
    const csp = [
      `default-src 'none'`,
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
    ].join('; ');
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

  /** Stops listening and the form's requests, keeps its draft, and says it closed (once). */
  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.aborter.abort();
    // A draft typed in the last moments before the tab closed is kept too.
    if (this.draftTimer !== undefined) void this.saveDraft();
    this.services.diagnostics.clear(this.payloadUri);
    this.closed.fire();
    this.closed.dispose();
    this.posted.dispose();
  }
}
