/// <reference lib="dom" />
// (DOM types for the code passed to page.evaluate, which runs in the browser.)
/**
 * End-to-end driver: the real VS Code workbench (code-server) in headless Debian Chromium, with
 * this extension loaded from the repo root (extensionDevelopmentPath, no extensionTestsPath), so
 * tests click and type as a person would. Build first (`npm run compile && npm run build`).
 *
 *   const wb = await Workbench.start();
 *   await wb.runCommand('ServiceTitan CRM: Start Local Sandbox');
 *   await wb.treeRow('Customers', /Acme/).click();
 *   await wb.close();
 *
 * Environment: STCRM_TEST_VERBOSE=1 prints code-server's output and the page's console;
 * STCRM_KEEP_TMP=1 keeps the temp dir.
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConsoleMessage, FrameLocator, Locator, Page } from 'playwright-core';
import {
  RESULTS_DIR,
  ROOT,
  checkPrerequisites,
  launchBrowser,
  makeRunDir,
  prepareWorkspace,
  removeRunDir,
  startCodeServer,
  type BrowserSession,
  type CodeServer,
} from '../host/codeServer';

export { ROOT, RESULTS_DIR };
export const EXTENSION_ID = 'stcrm-dev.servicetitan-crm';

const VERBOSE = process.env.STCRM_TEST_VERBOSE === '1';
const CSP_VIOLATION = 'violates the following Content Security Policy directive';

export interface StartOptions {
  /** Folder copied into the temp dir and opened (default test/fixtures/workspace if it exists, else empty). */
  workspace?: string;
  /** Browser permissions, e.g. ['clipboard-read', 'clipboard-write'] for copy/paste journeys. */
  permissions?: string[];
  /** Extra environment for code-server and the extension host. */
  env?: NodeJS.ProcessEnv;
  /** How long the workbench may take to be ready (default 90 s). */
  readyTimeoutMs?: number;
  /** User keybindings (keybindings.json), e.g. a command with an argument object. */
  keybindings?: Keybinding[];
  /** User settings added to the test host's defaults, e.g. `{ 'stcrm.createWith': 'quickInput' }`. */
  settings?: Record<string, unknown>;
  /**
   * A packaged extension to install (`code-server --install-extension`) and run instead of the
   * repo's development build, as a user who installed the VSIX would.
   */
  vsix?: string;
}

export interface Keybinding {
  key: string;
  command: string;
  args?: unknown;
  when?: string;
}

/** What an open quick input (quick pick or input box) shows. */
export interface QuickInputState {
  /** The title line, steps included: 'Add ServiceTitan CRM Profile (2/8)'. */
  title: string;
  /** The message under the input: an input box's prompt, or its validation message. */
  message: string;
  value: string;
  /** Whether its input masks what is typed (password input boxes). */
  password: boolean;
}

export class Workbench {
  /** Console errors of the page and its webviews; CSP violations among them fail `assertNoCspViolations`. */
  readonly consoleErrors: string[] = [];

  private constructor(
    readonly page: Page,
    readonly server: CodeServer,
    private readonly browser: BrowserSession,
    private readonly runDir: string,
    readonly workspace: string,
  ) {}

  static async start(options: StartOptions = {}): Promise<Workbench> {
    checkPrerequisites([
      options.vsix
        ? { path: options.vsix, fix: 'run `npm run package` first' }
        : { path: path.join(ROOT, 'dist', 'extension.js'), fix: 'run `npm run build` first' },
    ]);
    const runDir = makeRunDir('stcrm-e2e');
    let server: CodeServer | undefined;
    let browser: BrowserSession | undefined;
    try {
      const workspace = prepareWorkspace(runDir, options.workspace ?? path.join(ROOT, 'test', 'fixtures', 'workspace'));
      server = await startCodeServer({
        runDir,
        workspace,
        env: { STCRM_TEST_HOST: 'code-server-e2e', ...options.env },
        onOutput: VERBOSE ? (line) => console.log(`[code-server] ${line}`) : undefined,
        install: options.vsix ? [options.vsix] : [],
      });
      if (options.settings) writeUserSettings(server, options.settings);
      if (options.keybindings) {
        fs.writeFileSync(path.join(server.userDataDir, 'User', 'keybindings.json'), JSON.stringify(options.keybindings, null, 2));
      }
      browser = await launchBrowser(runDir, { permissions: options.permissions ?? ['clipboard-read', 'clipboard-write'] });
      const workbench = new Workbench(browser.page, server, browser, runDir, workspace);
      workbench.page.on('console', (message: ConsoleMessage) => workbench.onConsole(message));
      workbench.page.on('pageerror', (error) => workbench.consoleErrors.push(`page error: ${error.message}`));
      await workbench.page.goto(server.url(options.vsix ? {} : { extensionDevelopmentPath: ROOT }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await workbench.waitReady(options.readyTimeoutMs ?? 90_000);
      return workbench;
    } catch (error) {
      if (browser) {
        await saveScreenshot(browser.page, 'workbench-start-failed');
        await browser.close();
      }
      const tail = server?.tail(30);
      await server?.stop();
      removeRunDir(runDir);
      if (tail && error instanceof Error) error.message += `\n--- code-server output ---\n${tail}`;
      throw error;
    }
  }

  private onConsole(message: ConsoleMessage): void {
    if (VERBOSE) console.log(`[browser ${message.type()}] ${message.text()}`);
    if (message.type() === 'error') this.consoleErrors.push(message.text());
  }

  /**
   * Ready for UI tests: the workbench is shown and every extension's contributions are
   * registered (the `code/didHandleExtensionPoints` performance mark), our activity-bar entry included.
   */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.waitForFunction(() => performance.getEntriesByName('code/didHandleExtensionPoints').length > 0, undefined, {
      timeout: timeoutMs,
      polling: 200,
    });
    const notification = this.page.locator('.notifications-toasts .notification-toast');
    if ((await notification.count()) > 0) await this.page.keyboard.press('Escape');
  }

  /** The activity-bar entry whose label starts with `title` (e.g. 'ServiceTitan CRM'). */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a[aria-label^="${cssString(title)}"]`);
  }

  /** Opens a view container from the activity bar (no-op when it is already open). */
  async openViewContainer(title: string): Promise<void> {
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRegExp(title), 'i') });
    if (await sidebarTitle.isVisible()) return;
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible' });
    await item.click();
    await sidebarTitle.waitFor({ state: 'visible' });
  }

  /** A view's pane in the side bar, found by its header title (e.g. 'Customers'). */
  /** Opens the view, clicks "Try the Local Sandbox" and waits for the first customer row, which it returns. */
  async openSandboxCustomers(): Promise<Locator> {
    await this.openViewContainer('ServiceTitan CRM');
    await this.viewPane('Customers').getByRole('button', { name: 'Try the Local Sandbox' }).click();
    const row = this.treeRow('Customers', /#\d+ · (Residential|Commercial)/);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    return row;
  }

  viewPane(name: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header', { hasText: name }) });
  }

  /** Tree rows of a view (`.monaco-list-row[role=treeitem]`), optionally filtered by their text. */
  treeRows(viewName: string, text?: string | RegExp): Locator {
    const rows = this.viewPane(viewName).locator('.monaco-list-row[role="treeitem"]');
    return text === undefined ? rows : rows.filter({ hasText: text });
  }

  treeRow(viewName: string, text: string | RegExp): Locator {
    return this.treeRows(viewName, text).first();
  }

  /**
   * Right-clicks `row` and runs the context-menu item `item`. The workbench ignores a click that
   * comes right after the menu opened, so the item is chosen with the keyboard.
   */
  async runContextMenuItem(row: Locator, item: string | RegExp): Promise<void> {
    await this.dismissHover();
    await row.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.getByRole('menuitem', { name: item }).first().waitFor({ state: 'visible' });
    const items = await menu.locator('.action-item:not(.disabled) .action-label').allInnerTexts();
    for (let i = 0; i < items.length + 1; i++) {
      await this.page.keyboard.press('ArrowDown');
      if ((await menu.locator('.action-item.focused').filter({ hasText: item }).count()) > 0) {
        await this.page.keyboard.press('Enter');
        return;
      }
    }
    await this.page.keyboard.press('Escape');
    throw new Error(`The context menu has no item ${String(item)}; it has: ${items.join(' | ')}`);
  }

  /**
   * Moves the mouse off a hover card (a tree row's tooltip, left by an earlier click) and waits
   * until it is gone: it can cover the next row to click.
   */
  async dismissHover(): Promise<void> {
    const hover = this.page.locator('.context-view .hover-contents, .workbench-hover-container').first();
    if (!(await hover.isVisible())) return;
    await this.page.mouse.move(900, 800); // the editor area, away from the side bar and the status bar
    await hover.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }

  /** Opens the command palette with `>` and types `query`. */
  async openPalette(query: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (!(await input.isVisible())) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
    }
    await input.fill(`>${query}`);
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  /** The palette rows whose label is exactly `title` ('Category: Title', as the palette shows it). */
  async paletteRows(title: string): Promise<Locator> {
    const rows = await this.openPalette(title);
    return rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  }

  /**
   * Runs a command from the palette by its exact title. The palette lists "similar commands"
   * when nothing matches, so the row is checked before it is clicked: a wrong title fails here
   * with what the palette offered instead of running something else.
   */
  async runCommand(title: string, timeoutMs = 10_000): Promise<void> {
    const row = (await this.paletteRows(title)).first();
    try {
      await row.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const offered = await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts();
      await this.page.keyboard.press('Escape');
      throw new Error(`The command palette has no command "${title}". It offered: ${offered.slice(0, 10).join(' | ') || 'nothing'}`);
    }
    await row.click();
    // The palette is gone once the quick input is hidden or shows something else (a command
    // that opens its own quick pick or input box reuses the same widget).
    await this.page
      .waitForFunction(
        () => {
          const widget = document.querySelector<HTMLElement>('.quick-input-widget');
          const input = widget?.querySelector<HTMLInputElement>('.quick-input-box input');
          return !widget || widget.style.display === 'none' || !input?.value.startsWith('>');
        },
        undefined,
        { timeout: 5_000, polling: 50 },
      )
      .catch(() => undefined);
  }

  /** Runs a command from the palette with the keyboard only: F1, its title, arrows to its exact row, Enter. */
  async runCommandWithKeyboard(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.keyboard.type(`>${title}`);
    const exact = this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
    await this.quickPickRows().filter({ has: exact }).first().waitFor({ state: 'visible' });
    for (let i = 0; i < 10; i++) {
      if ((await this.quickPickActiveRow().filter({ has: exact }).count()) > 0) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`The palette row "${title}" never got the keyboard focus`);
  }

  /** Answers an open quick pick / input box: types `text` and presses Enter. */
  async answerQuickInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await input.press('Enter');
  }

  /** The quick input widget (command palette, quick picks and input boxes share it). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Waits until the quick input is visible with a title matching `title` (a RegExp, or the exact
   * title including its '(2/8)' steps) and returns what it shows.
   */
  async waitForQuickInput(title: string | RegExp, timeoutMs = 10_000): Promise<QuickInputState> {
    const pattern = typeof title === 'string' ? new RegExp(`^${escapeRegExp(title)}$`) : title;
    const widget = this.quickInput();
    const titleLocator = widget.locator('.quick-input-title');
    try {
      await widget.filter({ has: this.page.locator('.quick-input-title', { hasText: pattern }) }).waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (error) {
      const shown = (await widget.isVisible()) ? `"${(await titleLocator.textContent()) ?? ''}"` : 'no quick input';
      throw new Error(`Expected a quick input titled ${String(pattern)}, saw ${shown}`, { cause: error });
    }
    return this.quickInputState();
  }

  async quickInputState(): Promise<QuickInputState> {
    const widget = this.quickInput();
    const input = widget.locator('.quick-input-box input');
    return {
      title: ((await widget.locator('.quick-input-title').textContent()) ?? '').trim(),
      message: ((await widget.locator('.quick-input-message').textContent()) ?? '').trim(),
      value: await input.inputValue(),
      password: (await input.getAttribute('type')) === 'password',
    };
  }

  /** Replaces the text of the open input box (no Enter). */
  async typeInQuickInput(text: string): Promise<void> {
    await this.quickInput().locator('.quick-input-box input').fill(text);
  }

  /** Presses Enter in the open quick input (accepts the input box's value or the active item). */
  async acceptQuickInput(): Promise<void> {
    await this.quickInput().locator('.quick-input-box input').press('Enter');
  }

  /** Clicks the quick input's Back button (the arrow left of its title). */
  async quickInputBack(): Promise<void> {
    await this.quickInput().locator('.quick-input-left-action-bar').getByRole('button', { name: 'Back' }).click();
  }

  /** Rows of the open quick pick, optionally filtered by their text. */
  quickPickRows(text?: string | RegExp): Locator {
    const rows = this.quickInput().locator('.quick-input-list .monaco-list-row');
    return text === undefined ? rows : rows.filter({ hasText: text });
  }

  /** The labels of the open quick pick's rows, in order (without their descriptions and details). */
  async quickPickLabels(): Promise<string[]> {
    return this.quickPickRows().evaluateAll((rows) => rows.map((row) => row.querySelector('.label-name')?.textContent?.trim() ?? ''));
  }

  /** The quick pick's active (keyboard-focused) row. */
  quickPickActiveRow(): Locator {
    return this.quickInput().locator('.quick-input-list .monaco-list-row.focused');
  }

  /** Notification toasts with the error icon. */
  errorNotifications(text?: string | RegExp): Locator {
    return this.notifications(text).filter({ has: this.page.locator('.notification-list-item-icon.codicon-error') });
  }

  /** The labels of a notification's buttons, in order. */
  async notificationButtons(toast: Locator): Promise<string[]> {
    return (await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((text) => text.trim());
  }

  /** Clicks the button labelled `label` on a notification. */
  async clickNotificationButton(toast: Locator, label: string): Promise<void> {
    await toast
      .locator('.notification-list-item-buttons-container .monaco-button')
      .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
      .click();
  }

  /** Status bar items, optionally filtered by their text. */
  statusBarItems(text?: string | RegExp): Locator {
    const items = this.page.locator('.part.statusbar .statusbar-item');
    return text === undefined ? items : items.filter({ hasText: text });
  }

  /** Notification toasts, optionally filtered by their text. */
  notifications(text?: string | RegExp): Locator {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    return text === undefined ? toasts : toasts.filter({ hasText: text });
  }

  /**
   * The content frame of the visible webview whose panel title is `title`. With two visible
   * webviews, each `iframe.webview.ready` is tried in turn (see the shared notes).
   */
  async webview(title: string, timeoutMs = 15_000): Promise<FrameLocator> {
    const deadline = Date.now() + timeoutMs;
    const hosts = this.page.locator('iframe.webview.ready');
    const inner = `iframe#active-frame[title="${cssString(title)}"]`;
    while (Date.now() < deadline) {
      const count = await hosts.count();
      for (let i = 0; i < count; i++) {
        const host = hosts.nth(i).contentFrame();
        if ((await host.locator(inner).count()) === 1) return host.frameLocator(inner);
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`No visible webview titled "${title}" within ${timeoutMs / 1000} s`);
  }

  /**
   * Switches the color theme from the palette, as a user would (code-server does not pick up a
   * settings file changed under it).
   */
  async setColorTheme(name: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.waitForQuickInput(/./);
    await this.typeInQuickInput(name);
    // The picker lists "Browse Additional Color Themes…" first; the theme's row names it.
    await this.quickPickRows(name).first().waitFor({ state: 'visible' });
    for (let i = 0; i < 10 && (await this.quickPickActiveRow().filter({ hasText: name }).count()) === 0; i++) await this.page.keyboard.press('ArrowDown');
    await this.acceptQuickInput();
  }

  /**
   * What Chromium's accessibility tree (what a screen reader gets) says about the element
   * `target` finds, in a webview or a shadow root too: its role, name, description and whether
   * it is invalid. Unlike Playwright's own name computation, this follows element references
   * (`ariaDescribedByElements`) as the browser does.
   */
  async accessibleNode(target: Locator): Promise<AccessibleNode> {
    const marker = `probe-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    await target.evaluate((element, value) => element.setAttribute('data-stcrm-probe', value), marker);
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      // The webviews share the workbench's origin, so they are in its process: one document tree, frames and shadow roots pierced.
      const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
      const node = findMarked(root, marker);
      if (!node) throw new Error('The element was not found in the DOM the browser reports (is the webview in another process?)');
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { backendNodeId: node.backendNodeId, fetchRelatives: false });
      const ax = nodes.find((candidate) => candidate.backendDOMNodeId === node.backendNodeId) ?? nodes[0];
      if (!ax) throw new Error('The element has no node in the accessibility tree');
      const text = (value: { value?: unknown } | undefined): string => {
        const raw = value?.value;
        return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw === undefined ? '' : JSON.stringify(raw);
      };
      return {
        role: text(ax.role),
        name: text(ax.name),
        description: text(ax.description),
        invalid: text(ax.properties?.find((property) => property.name === 'invalid')?.value),
      };
    } finally {
      await cdp.detach().catch(() => undefined);
      await target.evaluate((element) => element.removeAttribute('data-stcrm-probe')).catch(() => undefined);
    }
  }

  /** Fails when a page or webview logged a Content Security Policy violation. */
  assertNoCspViolations(): void {
    const violations = this.consoleErrors.filter((text) => text.includes(CSP_VIOLATION));
    if (violations.length > 0) throw new Error(`CSP violations:\n${violations.join('\n')}`);
  }

  /** Saves a full-page PNG under test-results/ and returns its path. */
  async screenshot(name: string): Promise<string | undefined> {
    return saveScreenshot(this.page, name);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    removeRunDir(this.runDir);
  }
}

/** An element as Chromium's accessibility tree has it (see `Workbench.accessibleNode`). */
export interface AccessibleNode {
  role: string;
  name: string;
  /** The accessible description: what a screen reader reads after the name. */
  description: string;
  /** 'true' (or 'spelling', 'grammar') when invalid; 'false' or '' when not. */
  invalid: string;
}

/** The parts of a CDP `DOM.Node` that `findMarked` reads. */
interface DomNode {
  backendNodeId: number;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

/** The node (frames' documents and shadow roots included) whose `data-stcrm-probe` is `marker`. */
function findMarked(node: DomNode, marker: string): DomNode | undefined {
  const attributes = node.attributes ?? [];
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    if (attributes[i] === 'data-stcrm-probe' && attributes[i + 1] === marker) return node;
  }
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) {
    const found = findMarked(child, marker);
    if (found) return found;
  }
  return undefined;
}

/**
 * A `test` whose failure saves a screenshot named `<prefix>-<name>` and adds its path to the
 * error. For journeys that share one workbench across several steps.
 */
export function screenshotStep(prefix: string, workbench: () => Workbench | undefined): (name: string, body: () => Promise<void>) => void {
  return (name, body) =>
    void test(name, async () => {
      try {
        await body();
      } catch (error) {
        const file = await workbench()?.screenshot(`${prefix}-${name}`);
        if (file && error instanceof Error) error.message += `\n(screenshot: ${file})`;
        throw error;
      }
    });
}

/**
 * Runs `journey` on a fresh workbench; on failure saves a screenshot named after the test in
 * test-results/ and rethrows. Always closes the workbench.
 */
export async function withWorkbench(name: string, journey: (wb: Workbench) => Promise<void>, options?: StartOptions): Promise<void> {
  const wb = await Workbench.start(options);
  try {
    await journey(wb);
  } catch (error) {
    const file = await wb.screenshot(name);
    if (file && error instanceof Error) error.message += `\n(screenshot: ${path.relative(ROOT, file)})`;
    throw error;
  } finally {
    await wb.close();
  }
}

function writeUserSettings(server: CodeServer, settings: Record<string, unknown>): void {
  const file = path.join(server.userDataDir, 'User', 'settings.json');
  fs.writeFileSync(file, JSON.stringify({ ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>), ...settings }, null, 2));
}

async function saveScreenshot(page: Page, name: string): Promise<string | undefined> {
  try {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
