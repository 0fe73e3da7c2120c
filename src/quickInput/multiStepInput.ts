import * as vscode from 'vscode';
import { UserCancelled } from '../common/commands';

/** Signals that the user pressed the Back button. */
class GoBack extends Error {}

export interface TextStep {
  title: string;
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /** Returns an error message, or undefined when the value is fine. Runs while typing. */
  validate?: (value: string) => string | undefined;
  /** A message from the server about the value (after a rejected submit), shown until the value changes. */
  notice?: string;
}

export interface PickStep<T extends vscode.QuickPickItem> {
  title: string;
  placeholder: string;
  items: readonly T[];
  active?: T;
}

/**
 * A small multi-step quick input with a Back button on every step after the first, in the
 * spirit of the multi-step sample in microsoft/vscode-extension-samples. Steps are functions;
 * Back re-runs the previous one with what was typed there, so nothing is lost.
 */
export class MultiStepInput {
  private stepIndex = 0;

  constructor(private readonly totalSteps: () => number) {}

  /** Runs `steps` in order; each returns the next step or undefined when done. */
  static async run(first: (input: MultiStepInput) => Promise<Step | undefined>, totalSteps: () => number): Promise<void> {
    const input = new MultiStepInput(totalSteps);
    const stack: Step[] = [];
    let step: Step | undefined = first;
    while (step) {
      stack.push(step);
      input.stepIndex = stack.length;
      try {
        step = await step(input);
      } catch (error) {
        if (!(error instanceof GoBack)) throw error;
        stack.pop();
        step = stack.pop();
      }
    }
  }

  showText(step: TextStep): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const box = vscode.window.createInputBox();
      box.title = step.title;
      box.step = this.stepIndex;
      box.totalSteps = this.totalSteps();
      box.prompt = step.prompt;
      box.value = step.value ?? '';
      box.placeholder = step.placeholder;
      box.password = step.password ?? false;
      box.ignoreFocusOut = true;
      box.buttons = this.stepIndex > 1 ? [vscode.QuickInputButtons.Back] : [];
      let settled = false;
      const initial = box.value;
      const check = (value: string) => {
        const message = step.validate?.(value);
        const notice = step.notice && value === initial ? step.notice : undefined;
        box.validationMessage = message
          ? { message, severity: vscode.InputBoxValidationSeverity.Error }
          : notice
            ? { message: notice, severity: vscode.InputBoxValidationSeverity.Warning }
            : undefined;
        return message === undefined;
      };
      const finish = (action: () => void) => {
        settled = true;
        action();
        box.dispose();
      };
      box.onDidChangeValue((value) => check(value));
      box.onDidAccept(() => {
        if (check(box.value)) finish(() => resolve(box.value));
      });
      box.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => reject(new GoBack()));
      });
      box.onDidHide(() => {
        if (!settled) finish(() => reject(new UserCancelled()));
      });
      // A prefilled value (Edit Again) or a notice shows at once; an empty field shows its
      // prompt, not an error, until the user types or presses Enter.
      if (box.value || step.notice) check(box.value);
      box.show();
    });
  }

  showPick<T extends vscode.QuickPickItem>(step: PickStep<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pick = vscode.window.createQuickPick<T>();
      pick.title = step.title;
      pick.step = this.stepIndex;
      pick.totalSteps = this.totalSteps();
      pick.placeholder = step.placeholder;
      pick.items = step.items;
      if (step.active) pick.activeItems = [step.active];
      pick.ignoreFocusOut = true;
      pick.buttons = this.stepIndex > 1 ? [vscode.QuickInputButtons.Back] : [];
      let settled = false;
      const finish = (action: () => void) => {
        settled = true;
        action();
        pick.dispose();
      };
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) finish(() => resolve(chosen));
      });
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => reject(new GoBack()));
      });
      pick.onDidHide(() => {
        if (!settled) finish(() => reject(new UserCancelled()));
      });
      pick.show();
    });
  }
}

export type Step = (input: MultiStepInput) => Promise<Step | undefined>;
