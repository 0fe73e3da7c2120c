/**
 * Which documents are request files and response documents: what the facade registered on
 * activation (src/requests/requestFiles.ts) and the request commands it loads both go by.
 */
import type * as vscode from 'vscode';

/** Files the request commands, CodeLens and checks apply to. */
export const REQUEST_FILE = /\.stcrm\.json$/i;
export const isRequestDocument = (document: vscode.TextDocument): boolean => REQUEST_FILE.test(document.uri.path);
/** Saved request files and untitled ones (New Request, Import cURL). */
export const REQUEST_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.stcrm.json' }, { scheme: 'untitled', pattern: '**/*.stcrm.json' }];

/** The scheme of the read-only response documents shown beside a request (src/requests/responseView.ts). */
export const RESPONSE_SCHEME = 'stcrm-response';
