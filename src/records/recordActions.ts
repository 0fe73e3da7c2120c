import * as vscode from 'vscode';
import { toCurl } from '../api/curl';
import type { OperationInput } from '../api/client';
import type { CrmOperationId } from '../api/schemas/operations';
import type { ActiveConnection, ConnectionManager } from '../profiles/connection';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { commandTarget, hasCommandTarget, shownRecord } from '../model/commandTarget';
import { ENTITY_NOUNS, entityGetRequest, entityId, entityLabel, entityRecord, type Entity } from '../model/entities';

export const JSON_SCHEME = 'stcrm-json';

/**
 * The record Copy, Open as JSON and Open as Request act on: the node they were run on (context
 * menu), or else the node selected in the view (palette, keybinding). They take no argument object.
 */
export function recordRunOn(arg: unknown, selection: readonly unknown[]): Entity {
  if (arg !== undefined && !hasCommandTarget(arg))
    throw new Error('This command works on a record in the ServiceTitan CRM view: run it from a customer, contact or contact method there.');
  const record = shownRecord(commandTarget(arg, selection));
  if (!record) throw new Error('Select a customer, contact, location or contact method in the ServiceTitan CRM view first.');
  return record;
}

/** Copy id / JSON / cURL and open as JSON: the developer actions on every record in the tree. */
export class RecordActions extends Disposable {
  private readonly documents = new Map<string, string>();
  private readonly documentChanged = new vscode.EventEmitter<vscode.Uri>();

  constructor(
    private readonly connections: ConnectionManager,
    private readonly log: Log,
  ) {
    super();
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(JSON_SCHEME, {
        onDidChange: this.documentChanged.event,
        provideTextDocumentContent: (uri) =>
          this.documents.get(uri.toString()) ?? '// This record is no longer loaded: open it again from the ServiceTitan CRM view.\n',
      }),
    );
    this.register(this.documentChanged);
  }

  async copyId(entity: Entity): Promise<string> {
    const id = entityId(entity);
    await vscode.env.clipboard.writeText(id);
    void vscode.window.setStatusBarMessage(`Copied ${ENTITY_NOUNS[entity.kind]} ID ${id}`, 3000);
    return id;
  }

  async copyAsJson(entity: Entity): Promise<string> {
    // The tree's records are redacted when they are loaded (CustomersTree.withClient).
    const json = JSON.stringify(entityRecord(entity), null, 2);
    await vscode.env.clipboard.writeText(json);
    void vscode.window.setStatusBarMessage(`Copied ${ENTITY_NOUNS[entity.kind]} ${entityLabel(entity)} as JSON`, 3000);
    return json;
  }

  /** A cURL command for the GET of the record, with `$ST_TOKEN` and `$ST_APP_KEY` in place of the secrets. */
  async copyAsCurl(entity: Entity): Promise<string> {
    const connection = await this.connections.active();
    if (!connection) throw new Error('No ServiceTitan profile is active.');
    const { operationId, input } = entityGetRequest(entity);
    const curl = curlFor(connection, operationId, input);
    await vscode.env.clipboard.writeText(curl);
    this.log.info(`Copied cURL for ${operationId}`);
    void vscode.window.setStatusBarMessage('Copied cURL command: set ST_TOKEN and ST_APP_KEY before running it', 5000);
    return curl;
  }

  /**
   * Opens the record as a read-only JSON document. Records with a GET of their own are read
   * afresh; customer and location phones/emails (no GET in CRM v2) show what the tree loaded.
   */
  async openAsJson(entity: Entity, signal?: AbortSignal): Promise<vscode.TextEditor> {
    let record: unknown = entityRecord(entity);
    if (entity.kind !== 'customerContact' && entity.kind !== 'locationContact') {
      const connection = await this.connections.active();
      if (!connection) throw new Error('No ServiceTitan profile is active.');
      const { operationId, input } = entityGetRequest(entity);
      record = await connection.transport.send({ ...connection.client.prepare(operationId, input), signal });
    }
    const profile = (await this.connections.active())?.profile.id ?? 'profile';
    const uri = vscode.Uri.from({ scheme: JSON_SCHEME, path: `/${profile}/${entity.kind}/${entityId(entity)}.json` });
    // Read afresh: the server's text, and a hostile server may have written a secret into it.
    this.documents.set(uri.toString(), `${this.log.clean(JSON.stringify(record, null, 2))}\n`);
    this.documentChanged.fire(uri);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    return vscode.window.showTextDocument(document, { preview: true });
  }
}

/**
 * The one way a cURL command is made from an operation: validated by the client, described by the
 * transport (URL and body redacted), built by `toCurl` with `$ST_TOKEN` and `$ST_APP_KEY`.
 */
export function curlFor(connection: ActiveConnection, operationId: CrmOperationId, input: OperationInput): string {
  const curl = toCurl(connection.transport.describe(connection.client.prepare(operationId, input)));
  // describe() already redacts the URL and body; this guards the clipboard should that ever change.
  if (connection.transport.secrets().some((secret) => curl.includes(secret))) throw new Error('The cURL command would contain a secret, so it was not copied.');
  return curl;
}
