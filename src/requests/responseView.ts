/**
 * The responses of request files: read-only documents (`stcrm-response:`) beside the request,
 * and a short history per request file (the last 20) kept in the extension's global storage,
 * never in the workspace. "Compare with Previous Response" diffs the last two.
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { RESPONSE_SCHEME } from './requestDocuments';

export const HISTORY_LIMIT = 20;

interface HistoryEntry {
  /** ISO time it arrived. */
  at: string;
  status: number;
  text: string;
}

interface HistoryFile {
  /** The request file this history belongs to (shown nowhere, kept to tell hash collisions apart). */
  request: string;
  entries: HistoryEntry[];
}

export class ResponseView extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** A response document's text changed (the content provider src/requests/requestFiles.ts registers passes it on). */
  readonly onDidChange = this.changed.event;
  /** Histories read this session, by request key. */
  private readonly cache = new Map<string, HistoryFile>();

  /** `storage` is the extension's global storage: the histories are files in its `responses/` folder. */
  constructor(readonly storage: vscode.Uri) {
    super();
  }

  /** The text of a `stcrm-response:` document. */
  async content(uri: vscode.Uri): Promise<string> {
    const { key, index } = parseResponseUri(uri);
    const history = await this.history(key);
    const entry = index === 'latest' ? history?.entries.at(-1) : history?.entries[index];
    return entry?.text ?? '// This response is no longer in the history.\n';
  }

  /** Records a response of `request` and shows it beside the request (without taking the focus). */
  async show(request: vscode.Uri, status: number, text: string): Promise<vscode.TextDocument> {
    const key = keyOf(request);
    const history = (await this.history(key)) ?? { request: request.toString(), entries: [] };
    history.entries.push({ at: new Date().toISOString(), status, text });
    history.entries.splice(0, Math.max(0, history.entries.length - HISTORY_LIMIT));
    await this.save(key, history);
    const uri = responseUri(request, key, 'latest');
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'jsonc');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    return document;
  }

  /** The responses kept for `request`, oldest first. */
  async entries(request: vscode.Uri): Promise<readonly HistoryEntry[]> {
    return (await this.history(keyOf(request)))?.entries ?? [];
  }

  /** Opens a diff of the previous response and the latest one. */
  async compareWithPrevious(request: vscode.Uri): Promise<void> {
    const key = keyOf(request);
    const entries = (await this.history(key))?.entries ?? [];
    if (entries.length < 2)
      throw new Error(entries.length === 0 ? 'This request has not been sent yet.' : 'This request has only one response so far: send it again to compare.');
    const previous = entries.length - 2;
    const latest = entries.length - 1;
    const name = fileName(request);
    await vscode.commands.executeCommand(
      'vscode.diff',
      responseUri(request, key, previous),
      responseUri(request, key, latest),
      `${name}: response ${entries[previous]?.at ?? ''} ↔ ${entries[latest]?.at ?? ''}`,
      { preview: false, viewColumn: vscode.ViewColumn.Beside },
    );
  }

  private fileOf(key: string): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, 'responses', `${key}.json`);
  }

  private async history(key: string): Promise<HistoryFile | undefined> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    try {
      const bytes = await vscode.workspace.fs.readFile(this.fileOf(key));
      const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as HistoryFile;
      if (!Array.isArray(parsed.entries)) return undefined;
      this.cache.set(key, parsed);
      return parsed;
    } catch {
      return undefined;
    }
  }

  private async save(key: string, history: HistoryFile): Promise<void> {
    this.cache.set(key, history);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(this.storage, 'responses'));
    await vscode.workspace.fs.writeFile(this.fileOf(key), Buffer.from(JSON.stringify(history), 'utf8'));
  }
}

/** The key of a request file's history: a hash of its URI (no path ends up in a file name). */
function keyOf(request: vscode.Uri): string {
  return createHash('sha256').update(request.toString()).digest('hex').slice(0, 32);
}

function fileName(request: vscode.Uri): string {
  return request.path.split('/').pop() ?? 'request';
}

/** `stcrm-response:/<key>/<index or latest>/<request name>.response.jsonc`: the name shows in the tab. */
function responseUri(request: vscode.Uri, key: string, index: number | 'latest'): vscode.Uri {
  const base = fileName(request).replace(/\.stcrm\.json$/i, '');
  const label = index === 'latest' ? `${base}.response.jsonc` : `${base}.response-${index + 1}.jsonc`;
  return vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${key}/${index}/${label}` });
}

function parseResponseUri(uri: vscode.Uri): { key: string; index: number | 'latest' } {
  const [, key = '', index = 'latest'] = uri.path.split('/');
  return { key, index: index === 'latest' ? 'latest' : Number(index) };
}
