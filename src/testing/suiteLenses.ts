/**
 * CodeLens of a suite file: "Run Suite" and "Run against a Fresh Sandbox" above `"steps"`, "Run
 * Step" above each step (which runs the earlier steps whose captures it needs too). Read from the
 * JSON tree of the text as it is (jsonc-parser is tolerant), so the lenses stay while a step is
 * being typed. They run `stcrm.runTests`, whose results show in the Testing view.
 */
import { parseTree, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';
import { MAX_WALK_DEPTH, tooDeepAt } from '../api/jsonDepth';
import { MAX_STEPS, MAX_SUITE_LENGTH } from '../suites';

export function suiteLenses(document: vscode.TextDocument): vscode.CodeLens[] {
  const text = document.getText();
  if (text.length > MAX_SUITE_LENGTH) return [];
  // As SuiteSource reads it: after a byte order mark.
  const shift = text.startsWith('\uFEFF') ? 1 : 0;
  // parseTree recurses once per level: no lenses for text nested deeper (the file is refused anyway).
  if (tooDeepAt(text, MAX_WALK_DEPTH) >= 0) return [];
  const root = parseTree(text.slice(shift));
  const steps = root?.type === 'object' ? root.children?.find((property) => keyOf(property) === 'steps') : undefined;
  const list = steps?.children?.[1];
  if (!steps) return [];
  const uri = document.uri.toString();
  const at = (node: Node): vscode.Range => {
    const position = document.positionAt(node.offset + shift);
    return new vscode.Range(position, position);
  };
  const lenses = [
    new vscode.CodeLens(at(steps), {
      title: '$(run-all) Run Suite',
      command: 'stcrm.runTests',
      arguments: [{ uris: [uri] }],
      tooltip: 'Run every step of this suite, then its teardown, with the active ServiceTitan profile',
    }),
    new vscode.CodeLens(at(steps), {
      title: 'Run against a Fresh Sandbox',
      command: 'stcrm.runTests',
      arguments: [{ uris: [uri], sandbox: true }],
      tooltip: "Run this suite against a new local sandbox with the suite's seed, customers and fault rules",
    }),
  ];
  if (list?.type !== 'array') return lenses;
  for (const [index, step] of (list.children ?? []).slice(0, MAX_STEPS).entries()) {
    if (step.type !== 'object') continue;
    lenses.push(
      new vscode.CodeLens(at(step), {
        title: '$(play) Run Step',
        command: 'stcrm.runTests',
        arguments: [{ uris: [uri], steps: [index] }],
        tooltip: 'Run this step (and the earlier steps whose captures it uses), then the teardown, with the active ServiceTitan profile',
      }),
    );
  }
  return lenses;
}

function keyOf(property: Node): unknown {
  return property.type === 'property' ? property.children?.[0]?.value : undefined;
}
