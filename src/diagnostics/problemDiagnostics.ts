/**
 * Problem details (or our own checks) → diagnostics on the exact JSON property of a document:
 * the one mapping the forms and the request files use. Each error's path is looked up in the
 * document's text with jsonc-parser (`locateJsonPath`).
 */
import * as vscode from 'vscode';
import { formatFieldPath, type PathSegment } from '../api/fieldPath';
import { Disposable } from '../common/lifecycle';

/** jsonc-parser and the path lookup load with the first diagnostic, not with the extension (scripts/build.mjs). */
const jsonLocation = (): Promise<typeof import('./jsonLocation.js')> => import('./jsonLocation.js');

export const DIAGNOSTIC_SOURCE = 'ServiceTitan CRM';

/** An error at a path of the document's JSON (relative to `root`). */
export interface PathError {
  path: readonly PathSegment[];
  message: string;
}

/** The problem-details document the errors came from, when a server sent one. */
export interface ProblemInfo {
  type?: string;
  title?: string;
  status?: number;
  traceId?: string;
}

/** Line and character of an offset, as VS Code counts them (UTF-16, lines split at \n). */
function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, before.length - (before.lastIndexOf('\n') + 1));
}

function problemCode(problem: ProblemInfo | undefined): vscode.Diagnostic['code'] {
  if (!problem?.type) return problem?.status === undefined ? undefined : String(problem.status);
  if (/^https?:\/\//i.test(problem.type)) return { value: problem.type, target: vscode.Uri.parse(problem.type) };
  return problem.type;
}

/**
 * One diagnostic per error, on the value at its path; a path that is not in the document (a
 * missing required field) lands on the deepest part that is, and its message names the field.
 */
export async function diagnosticsFor(
  text: string,
  errors: readonly PathError[],
  problem?: ProblemInfo,
  options: { root?: readonly PathSegment[] } = {},
): Promise<vscode.Diagnostic[]> {
  const { locateJsonPath } = await jsonLocation();
  const trace = problem?.traceId ? ` (trace ID ${problem.traceId})` : '';
  return errors.map((error) => {
    const location = locateJsonPath(text, error.path, options);
    const start = positionAt(text, location?.target.offset ?? 0);
    const end = positionAt(text, (location?.target.offset ?? 0) + (location?.target.length ?? 0));
    const named = location?.exact === false && error.path.length > 0 ? `${formatFieldPath(error.path)}: ` : '';
    const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end), `${named}${error.message}${trace}`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = problemCode(problem);
    return diagnostic;
  });
}

/**
 * Read-only JSON documents of what a form submitted (scheme `stcrm-payload`), with the
 * diagnostics of its last failed submit. Opening one beside its form shows where each error is.
 */
export class PayloadDiagnostics extends Disposable {
  static readonly scheme = 'stcrm-payload';
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('stcrm'));
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();

  constructor() {
    super();
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(PayloadDiagnostics.scheme, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.contents.get(uri.toString()) ?? '{}\n',
      }),
    );
    this.register(this.changed);
  }

  /** The document of one form's payload: `stcrm-payload:/forms/<form id>/<name>.json`. */
  uriFor(formId: string, name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PayloadDiagnostics.scheme, path: `/forms/${formId}/${name}.json` });
  }

  /** Shows `payload` with `errors` on it; `reveal` opens it beside the active editor without taking focus. */
  async report(
    uri: vscode.Uri,
    payload: unknown,
    errors: readonly PathError[],
    problem: ProblemInfo | undefined,
    reveal: boolean,
  ): Promise<vscode.Diagnostic[]> {
    const text = `${JSON.stringify(payload, null, 2)}\n`;
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    const diagnostics = await diagnosticsFor(text, errors, problem);
    this.collection.set(uri, diagnostics);
    if (reveal) {
      const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
    }
    return diagnostics;
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.contents.delete(uri.toString());
  }
}
