import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'stcrm-dev.servicetitan-crm';

interface ContributedCommand {
  command: string;
  title: string;
}

suite('Activation', () => {
  test('the extension is installed in the test host', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
    assert.equal(extension.extensionKind, vscode.ExtensionKind.Workspace, 'runs in the Node extension host');
  });

  test('activates without error', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('every command in contributes.commands is registered after activation', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed = ((extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('every command referenced by menus and welcome views is contributed', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const contributes = (extension.packageJSON as { contributes?: Record<string, unknown> }).contributes ?? {};
    const contributed = new Set(((contributes.commands as ContributedCommand[] | undefined) ?? []).map((c) => c.command));
    const menus = (contributes.menus as Record<string, { command?: string }[]> | undefined) ?? {};
    const inMenus = Object.values(menus).flatMap((items) => items.map((item) => item.command).filter((id): id is string => !!id));
    const welcome = (contributes.viewsWelcome as { contents: string }[] | undefined) ?? [];
    const inWelcome = welcome.flatMap((w) => [...w.contents.matchAll(/\(command:(stcrm\.[\w.]+)/g)].map((m) => m[1] ?? ''));
    // View focus commands (stcrm.customers.focus) come from the views, not from contributes.commands.
    const views = Object.values((contributes.views as Record<string, { id: string }[]> | undefined) ?? {})
      .flat()
      .map((v) => v.id);
    const isViewCommand = (id: string) => views.some((view) => id.startsWith(`${view}.`));
    const dangling = [...new Set([...inMenus, ...inWelcome])].filter((id) => !contributed.has(id) && !isViewCommand(id));
    assert.deepEqual(dangling, [], `referenced but not contributed: ${dangling.join(', ')}`);
  });
});
