/**
 * CRM request files (`*.stcrm.json`): New Request from any of the 86 operations, Send with the
 * active profile (raw call: a wrong answer is shown, never thrown away), the response beside the
 * request, server validation errors as diagnostics on the request's JSON, cURL in and out, and the
 * response history. The request model itself (parsing, checks, templates, cURL import) is plain
 * TypeScript in this folder; this module is its VS Code face, loaded on first use (dist/request-files.js)
 * by src/requests/requestFiles.ts, which registers the CodeLens and the response documents on activation.
 */
import * as vscode from 'vscode';
import { problemFieldErrors, RequestValidationError } from '../api/errors';
import { operationParams } from '../api/client';
import { CRM_OPERATION_LIST, CRM_OPERATIONS, isCrmOperationId, type CrmOperationId } from '../api/schemas/operations';
import { isPlainObject } from '../common/commandArgs';
import { UserCancelled } from '../common/commands';
import { KeyedDebouncer } from '../common/debounce';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import { diagnosticsFor, DIAGNOSTIC_SOURCE, type ProblemInfo } from '../diagnostics/problemDiagnostics';
import type { ConnectionManager } from '../profiles/connection';
import { resultOf, type WritePipeline } from '../records/writePipeline';
import { operationPlan } from '../writes/recordPlans';
import { curlFor } from '../records/recordActions';
import {
  fieldErrorsToPathErrors,
  operationKeyOffset,
  parseRequestFile,
  requestFileText,
  ruleProblems,
  withinRequestFileLimits,
  type RequestFileError,
  type RequestFileRequest,
} from './requestFile';
import { responseText, summarize } from './responseText';
import { isRequestDocument } from './requestDocuments';
import { ResponseView } from './responseView';
import { holdsReferences, resolveRequestVariables, type ResolvedRequest } from './requestVariables';
import { isEnvironmentUri, profileVariables, workspaceEnvironment } from '../testing/workspaceFiles';
import { loadTemplates, templateText, type RequestTemplate } from './templates';
import { recordRequests, type RecordRequest } from './recordRequests';
import { ENTITY_NOUNS, entityLabel, type Entity } from '../model/entities';

/** The cURL importer loads with the first import, not with the extension (scripts/build.mjs). */
const curlImporter = (): Promise<typeof import('./curlImport.js')> => import('./curlImport.js');

/** What `stcrm.sendRequest` resolves with, for scripts and tests. */
export interface SendResult {
  status: number;
  operationId: string;
  durationMs: number;
  traceId?: string;
  schemaIssues: string[];
  response: vscode.Uri;
}

export class RequestCommands extends Disposable {
  /** Problems the server reported for the last send of each request document. */
  readonly serverDiagnostics = vscode.languages.createDiagnosticCollection('stcrm-request-server');
  /** Checks the JSON Schema cannot express (contact values by type, blank names), while typing. */
  readonly ruleDiagnostics = vscode.languages.createDiagnosticCollection('stcrm-request-rules');
  /** The rule checks, a moment after the last keystroke. */
  private readonly checks = this.register(new KeyedDebouncer(250));
  /** The responses beside the requests, and their history in `storage` (the extension's global storage). */
  readonly responses: ResponseView;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly writes: WritePipeline,
    storage: vscode.Uri,
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    /** The active profile's name, read without connecting: its variables of stcrm.env.json are the ones a request uses. */
    private readonly activeProfile: () => string | undefined,
  ) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.checkSoon(document)));
    // Other variables: check the open requests again.
    const checkAll = (): void => vscode.workspace.textDocuments.forEach((document) => this.checkSoon(document));
    this.register(connections.onDidChangeActive(checkAll));
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && isEnvironmentUri(event.document.uri)) checkAll();
        if (!isRequestDocument(event.document) || event.contentChanges.length === 0) return;
        // Server errors point at text that just moved; the response document keeps them.
        this.serverDiagnostics.delete(event.document.uri);
        this.checkSoon(event.document);
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.ruleDiagnostics.delete(document.uri);
        this.serverDiagnostics.delete(document.uri);
      }),
    );
    // After the listeners that use them: disposed in this order.
    this.register(this.serverDiagnostics);
    this.register(this.ruleDiagnostics);
    this.responses = this.register(new ResponseView(storage));
    for (const document of vscode.workspace.textDocuments) this.checkSoon(document);
  }

  /** "Send" (and "Copy as cURL", "Compare with Previous") on the top-level `"operation"` key: the one that is sent. */
  codeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const at = document.positionAt(operationKeyOffset(document.getText()) ?? 0);
    const range = new vscode.Range(at, at);
    const arg = { uri: document.uri.toString() };
    return [
      new vscode.CodeLens(range, {
        title: '$(play) Send',
        command: 'stcrm.sendRequest',
        arguments: [arg],
        tooltip: 'Send this request with the active ServiceTitan profile (Ctrl+Alt+Enter)',
      }),
      new vscode.CodeLens(range, { title: 'Copy as cURL', command: 'stcrm.copyRequestAsCurl', arguments: [arg] }),
      new vscode.CodeLens(range, { title: 'Compare with Previous Response', command: 'stcrm.compareWithPreviousResponse', arguments: [arg] }),
    ];
  }

  // ---- new request -----------------------------------------------------------------------------

  /** A quick pick of all 86 operations (grouped by tag), then an untitled request from its template. */
  async newRequest(arg?: unknown): Promise<vscode.TextEditor> {
    const given = isPlainObject(arg) && typeof arg.operation === 'string' ? arg.operation : undefined;
    if (given !== undefined && !isCrmOperationId(given)) throw new Error(`There is no CRM v2 operation "${given}".`);
    const operationId = given ?? (await pickOperation());
    return this.openUntitled(`${operationId}.stcrm.json`, templateText(await this.template(operationId)));
  }

  /** `stcrm.openAsRequest`: the record's operations (its ids filled in), then a request from the picked one. */
  async openAsRequest(entity: Entity, arg?: unknown): Promise<vscode.TextEditor> {
    const offers = recordRequests(entity);
    const given = isPlainObject(arg) && typeof arg.operation === 'string' ? offers.find((o) => o.operationId === arg.operation) : undefined;
    if (isPlainObject(arg) && typeof arg.operation === 'string' && !given)
      throw new Error(`${arg.operation} is not an operation on this ${ENTITY_NOUNS[entity.kind]}.`);
    const offer = given ?? (await pickRecordRequest(offers, entityLabel(entity)));
    const template = await this.template(offer.operationId);
    const filled = {
      ...template,
      path: { ...template.path, ...offer.path },
      ...(offer.query ? { query: { ...template.query, ...offer.query } } : {}),
      ...(offer.body && isPlainObject(template.body) ? { body: { ...template.body, ...offer.body } } : {}),
    };
    // A field the record fills is no longer optional.
    const optional = Object.fromEntries(
      Object.entries(template.optional ?? {}).filter(([key]) => !Object.keys({ ...offer.query, ...offer.body }).some((field) => key.endsWith(`.${field}`))),
    );
    return this.openUntitled(`${offer.operationId}.stcrm.json`, templateText({ ...filled, optional }));
  }

  /** `stcrm.importCurl`: a pasted cURL command for the CRM API becomes a request file. */
  async importCurl(arg?: unknown): Promise<vscode.TextEditor> {
    const { importCurl, inputBoxProblem, droppedMessage } = await curlImporter();
    let command = isPlainObject(arg) && typeof arg.curl === 'string' ? arg.curl : undefined;
    command ??= await vscode.window.showInputBox({
      title: 'Import cURL as a CRM Request',
      prompt: 'Paste a cURL command for the ServiceTitan CRM v2 API. Authorization and app key values are dropped.',
      placeHolder: "curl -X POST 'https://api.servicetitan.io/crm/v2/tenant/1000/contacts' -H 'Content-Type: application/json' --data-raw '{…}'",
      ignoreFocusOut: true,
      // Runs on every keystroke: a long paste is only noted (not blocking), and imported once on Enter.
      validateInput: (value) => {
        const problem = inputBoxProblem(value);
        if (!problem) return undefined;
        return problem.blocking ? problem.message : { message: problem.message, severity: vscode.InputBoxValidationSeverity.Info };
      },
    });
    if (command === undefined) throw new UserCancelled();
    const imported = importCurl(command);
    if (!imported.ok) throw new Error(`The cURL command was not imported: ${imported.message}`);
    const dropped = droppedMessage(imported.dropped);
    if (dropped !== undefined) {
      this.log.info(`Import cURL: ${dropped}`);
      // Names only, never values; not awaited, so the request opens at once.
      void vscode.window.showInformationMessage(this.log.clean(dropped));
    }
    return this.openUntitled(`${imported.request.operation}.stcrm.json`, requestFileText(imported.request));
  }

  // ---- send --------------------------------------------------------------------------------------

  /** `stcrm.sendRequest`: sends the request file with the active profile and shows the answer beside it. */
  async send(arg?: unknown): Promise<SendResult> {
    const document = await this.requestDocument(arg);
    const text = document.getText();
    const parsed = parseRequestFile(text);
    if (!parsed.ok) {
      await this.showRefusal(document, parsed.errors);
      throw new Error(`Not sent: the request file has ${plural(parsed.errors.length, 'problem')}. ${parsed.errors[0]?.message ?? ''}`);
    }
    const { operation } = parsed.request;
    const op = CRM_OPERATIONS[operation];
    // `{{name}}` from stcrm.env.json: an unknown one is marked on the file, and nothing is sent.
    const resolved = await this.resolveVariables(document, parsed.request);
    if (!resolved.ok) {
      await this.showRefusal(document, resolved.errors);
      throw new Error(`Not sent: ${resolved.errors[0]?.message ?? 'a {{name}} cannot be resolved.'}`);
    }
    // Through the one write pipeline: a write to a production profile asks first (GETs never do).
    const productionConfirmed = isPlainObject(arg) && arg.productionConfirmed === true;
    const outcome = await this.writes.runWithProgress(operationPlan(operation, resolved.input), {
      productionConfirmed,
      progressTitle: `Sending ${operation}…`,
    });
    // "… was not sent. value: Enter an email address …", and each problem on its property.
    if (outcome.status === 'failed' && outcome.error instanceof RequestValidationError)
      await this.showRefusal(document, fieldErrorsToPathErrors(outcome.error.issues));
    const raw = resultOf(outcome);
    const summary = summarize(raw);
    const sent = resolved.input.body === undefined ? undefined : this.log.clean(JSON.stringify(resolved.input.body) ?? '');
    const responseDocument = await this.responses.show(document.uri, raw.status, responseText(raw, new Date(), sent));
    this.log.info(`${operation}: ${raw.status} in ${summary.durationMs} ms${summary.traceId ? ` (trace ID ${summary.traceId})` : ''}`);

    if (raw.problem) {
      const pathErrors = fieldErrorsToPathErrors(problemFieldErrors(raw.problem, operationParams(op)));
      // A problem without field errors still belongs on the request: on `operation`.
      await this.showServerDiagnostics(
        document,
        pathErrors.length > 0 ? pathErrors : [{ path: ['operation'], message: `${raw.status}: ${raw.problem.title ?? 'the request failed'}` }],
        raw.problem,
      );
    } else {
      this.serverDiagnostics.delete(document.uri);
    }
    if (summary.schemaIssues.length > 0) {
      void notifyProblem(
        this.log,
        'warning',
        `The answer to ${operation} does not match the document's response schema (${summary.schemaIssues[0] ?? ''}). It is shown as it came.`,
      );
    }
    return {
      status: raw.status,
      operationId: operation,
      durationMs: summary.durationMs,
      traceId: summary.traceId,
      schemaIssues: summary.schemaIssues,
      response: responseDocument.uri,
    };
  }

  /** `stcrm.copyRequestAsCurl`: the request as a cURL command with `$ST_TOKEN` and `$ST_APP_KEY`. */
  async copyAsCurl(arg?: unknown): Promise<string> {
    const document = await this.requestDocument(arg);
    const parsed = parseRequestFile(document.getText());
    if (!parsed.ok) throw new Error(`The request file has ${plural(parsed.errors.length, 'problem')}: ${parsed.errors[0]?.message ?? ''}`);
    const connection = await this.connections.require();
    const curl = curlFor(connection, parsed.request.operation, parsed.input);
    await vscode.env.clipboard.writeText(curl);
    void vscode.window.setStatusBarMessage('Copied cURL command: set ST_TOKEN and ST_APP_KEY before running it', 5000);
    return curl;
  }

  /** `stcrm.compareWithPreviousResponse`. */
  async compareWithPrevious(arg?: unknown): Promise<void> {
    const document = await this.requestDocument(arg);
    await this.responses.compareWithPrevious(document.uri);
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  /** The shipped template of an operation (schemas/stcrm-request-templates.json). */
  private async template(operationId: CrmOperationId): Promise<RequestTemplate> {
    const template = (await loadTemplates(this.extensionUri.fsPath))[operationId];
    if (!template) throw new Error(`No template for ${operationId}.`);
    return template;
  }

  /** The request file named by `arg` (a URI, or `{ uri }`), else the active editor's. */
  private async requestDocument(arg: unknown): Promise<vscode.TextDocument> {
    const uri = arg instanceof vscode.Uri ? arg : isPlainObject(arg) && typeof arg.uri === 'string' ? vscode.Uri.parse(arg.uri) : undefined;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || !isRequestDocument(document)) {
      throw new Error('Open a CRM request file (*.stcrm.json) first, or create one with "ServiceTitan CRM: New Request…".');
    }
    return document;
  }

  private async openUntitled(name: string, content: string): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    let path = folder ? vscode.Uri.joinPath(folder, name).path : `/${name}`;
    // Another untitled request of the same name is already open: number this one.
    for (let n = 2; vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'untitled' && d.uri.path === path); n++) {
      path = path.replace(/(-\d+)?\.stcrm\.json$/i, `-${n}.stcrm.json`);
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path }));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), content));
    if (document.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(document, 'json');
    this.checkSoon(document);
    return editor;
  }

  private async showServerDiagnostics(document: vscode.TextDocument, errors: readonly RequestFileError[], problem?: ProblemInfo): Promise<void> {
    this.serverDiagnostics.set(document.uri, await requestDiagnostics(document, errors, problem));
  }

  /**
   * What Send refused before anything went out: the checks' findings, so they replace the rule
   * check's entries (which they include) instead of repeating them. One finding, one entry.
   */
  private async showRefusal(document: vscode.TextDocument, errors: readonly RequestFileError[]): Promise<void> {
    this.checks.cancel(document.uri.toString());
    this.serverDiagnostics.delete(document.uri);
    this.ruleDiagnostics.set(document.uri, await requestDiagnostics(document, errors));
  }

  /** Runs the rule checks a moment after the last keystroke. */
  private checkSoon(document: vscode.TextDocument): void {
    if (!isRequestDocument(document)) return;
    this.checks.schedule(document.uri.toString(), () => {
      void this.checkRules(document).catch((error: unknown) => this.log.error('Checking a request file failed', error));
    });
  }

  private async checkRules(document: vscode.TextDocument): Promise<void> {
    // The environment first: the check and the ranges are of the text as it is after this await.
    const variables = await this.variablesFor(document);
    if (document.isClosed) return;
    const problems = ruleProblems(document.getText(), (request) => {
      if (!holdsReferences(request)) return { ok: true, request };
      return variables.ok ? resolveRequestVariables(request, variables.values, this.activeProfile()) : { ok: false, errors: [variables.error] };
    });
    this.ruleDiagnostics.set(document.uri, await requestDiagnostics(document, problems));
  }

  /** The request with its `{{name}}` references resolved for the active profile (one without needs no environment file). */
  private async resolveVariables(document: vscode.TextDocument, request: RequestFileRequest): Promise<ResolvedRequest> {
    if (!holdsReferences(request))
      return { ok: true, request, input: { path: request.path, query: request.query, ...('body' in request ? { body: request.body } : {}) } };
    const variables = await this.variablesFor(document);
    if (!variables.ok) return { ok: false, errors: [variables.error] };
    return resolveRequestVariables(request, variables.values, this.activeProfile());
  }

  /** The variables of stcrm.env.json the active profile sees, or why the file cannot be read (a problem on `operation`). */
  private async variablesFor(
    document: vscode.TextDocument,
  ): Promise<{ ok: true; values: ReadonlyMap<string, unknown> } | { ok: false; error: RequestFileError }> {
    const environment = await workspaceEnvironment(document.uri);
    if (!environment.ok) return { ok: false, error: { path: ['operation'], message: `${environment.message} Its variables are this request's {{names}}.` } };
    return { ok: true, values: profileVariables(environment.environment, this.activeProfile()) };
  }
}

/** At most this many diagnostics per request file: placing one by its path parses the file again. */
const MAX_DIAGNOSTICS = 20;

/**
 * Diagnostics for a request file's problems: a problem of the text itself where its offset says,
 * any other on the JSON property at its path (or at the start, when the file is past the limits
 * that make its tree safe to walk); the first MAX_DIAGNOSTICS, then one that counts the rest.
 * Offsets are of the document's text as it is now: call this in the same turn as the check.
 */
async function requestDiagnostics(document: vscode.TextDocument, errors: readonly RequestFileError[], problem?: ProblemInfo): Promise<vscode.Diagnostic[]> {
  const text = document.getText();
  const shown = errors.slice(0, MAX_DIAGNOSTICS);
  const start = new vscode.Range(0, 0, 0, 0);
  const walkable = withinRequestFileLimits(text);
  const byPath = shown.filter((error) => error.offset === undefined && walkable);
  // Ranges from offsets now, before the await: the text may change meanwhile.
  const placed = shown.map((error) => {
    if (error.offset === undefined) return walkable ? undefined : new vscode.Diagnostic(start, error.message, vscode.DiagnosticSeverity.Error);
    const range = new vscode.Range(document.positionAt(error.offset), document.positionAt(error.offset + (error.length ?? 0)));
    return new vscode.Diagnostic(range, error.message, vscode.DiagnosticSeverity.Error);
  });
  const located = byPath.length > 0 ? await diagnosticsFor(text, byPath, problem) : [];
  let next = 0;
  const diagnostics = placed.map((diagnostic, index) => diagnostic ?? located[next++] ?? new vscode.Diagnostic(start, shown[index]?.message ?? ''));
  if (errors.length > shown.length) {
    diagnostics.push(
      new vscode.Diagnostic(
        start,
        `${plural(errors.length - shown.length, 'more problem')} in this file: only the first ${MAX_DIAGNOSTICS} are shown.`,
        vscode.DiagnosticSeverity.Error,
      ),
    );
  }
  for (const diagnostic of diagnostics) diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostics;
}

async function pickRecordRequest(offers: RecordRequest[], label: string): Promise<RecordRequest> {
  const items = offers.map((offer) => {
    const op = CRM_OPERATIONS[offer.operationId];
    return { label: offer.operationId, description: `${op.method} ${op.path}`, detail: op.summary, offer };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Open as Request: ${label}`,
    placeHolder: "Pick an operation; the request opens with this record's ids filled in",
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) throw new UserCancelled();
  return picked.offer;
}

interface OperationPick extends vscode.QuickPickItem {
  operationId?: CrmOperationId;
}

async function pickOperation(): Promise<CrmOperationId> {
  const items: OperationPick[] = [];
  let tag = '';
  for (const op of [...CRM_OPERATION_LIST].sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    if (op.tag !== tag) {
      tag = op.tag;
      items.push({ label: tag, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: op.operationId, description: `${op.method} ${op.path}`, detail: op.summary, operationId: op.operationId as CrmOperationId });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'New CRM Request',
    placeHolder: 'Pick one of the 86 CRM v2 operations (type an id, method, path or words of its summary)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.operationId) throw new UserCancelled();
  return picked.operationId;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
