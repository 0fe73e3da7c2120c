/**
 * Request files (`*.stcrm.json`) as activation sees them: the Send CodeLens and the provider of
 * the `stcrm-response:` documents are registered at once, and the rest (src/requests/requestCommands.ts
 * with the request model, templates, checks, send path and response history: dist/request-files.js)
 * loads on first use: a request command, a request file open in an editor (its checks run then),
 * or a response document VS Code shows.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { OnFirstUse } from '../common/onFirstUse';
import type { ConnectionManager } from '../profiles/connection';
import type { ProfileStore } from '../profiles/profiles';
import type { WritePipeline } from '../records/writePipeline';
import { isRequestDocument, REQUEST_SELECTOR, RESPONSE_SCHEME } from './requestDocuments';
import type { RequestCommands } from './requestCommands';

export interface RequestFileServices {
  connections: ConnectionManager;
  /** The active profile's name picks the request's variables in stcrm.env.json. */
  store: ProfileStore;
  writes: WritePipeline;
  /** The extension's global storage: the response history lives in its `responses/` folder. */
  storage: vscode.Uri;
  extensionUri: vscode.Uri;
  log: Log;
}

export class RequestFiles extends Disposable {
  private readonly commands: OnFirstUse<RequestCommands>;
  private readonly responseChanged = this.register(new vscode.EventEmitter<vscode.Uri>());

  constructor(private readonly services: RequestFileServices) {
    super();
    this.commands = this.register(
      new OnFirstUse(async () => {
        const { RequestCommands } = await import('./requestCommands.js');
        const { connections, writes, storage, extensionUri, log, store } = services;
        const commands = new RequestCommands(connections, writes, storage, extensionUri, log, () => store.active()?.name);
        commands.responses.onDidChange((uri) => this.responseChanged.fire(uri));
        return commands;
      }),
    );
    this.register(
      vscode.languages.registerCodeLensProvider(REQUEST_SELECTOR, { provideCodeLenses: async (document) => (await this.load()).codeLenses(document) }),
    );
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, {
        onDidChange: this.responseChanged.event,
        provideTextDocumentContent: async (uri) => (await this.load()).responses.content(uri),
      }),
    );
    // An open request file is a first use: its rule checks run as soon as it shows.
    this.register(
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (isRequestDocument(document)) this.loadSoon();
      }),
    );
    if (vscode.workspace.textDocuments.some(isRequestDocument)) this.loadSoon();
  }

  /** The request commands, loaded on the first call. */
  load(): Promise<RequestCommands> {
    return this.commands.get();
  }

  /** Loads them without waiting (after activation returned), logging a failure. */
  private loadSoon(): void {
    if (this.commands.loaded) return;
    this.load().catch((error: unknown) => this.services.log.error('Loading the request files failed', error));
  }
}
