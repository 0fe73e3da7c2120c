/**
 * The form page inside a webview (browser code: no vscode, no Node). It renders the form the
 * host names in `init`, checks every value while typing with the client's request schemas
 * (formModel), keeps the draft with `setState` and in the host, and talks to the host only
 * through the zod-checked protocol.
 */
import './forms.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { FormPage } from './formPage';
import { fromWebviewSchema, pageStateSchema, parseMessage, toWebviewSchema, type FromWebview } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
// Undefined only in a page that was just opened (a rebuilt or restored page gets its saved state back).
const state = vscode.getState();

function post(message: FromWebview): void {
  // Checked here too: a bug on this side must show up here, not as a dropped message.
  vscode.postMessage(fromWebviewSchema.parse(message));
}

const page = new FormPage(document.body, {
  post,
  saveState: (next) => vscode.setState(next),
  fresh: state === undefined,
});

// Attached synchronously: messages that arrive while the page loads are delivered once, early.
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseMessage(toWebviewSchema, event.data);
  if (!parsed.ok) {
    console.error(`ServiceTitan CRM form: ignored a message from the extension (${parsed.why})`);
    return;
  }
  page.receive(parsed.message);
});

const saved = pageStateSchema.safeParse(state);
post({ type: 'ready', values: saved.success ? saved.data.values : undefined });
