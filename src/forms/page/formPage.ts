/** Renders one form and runs it: values, checks, submit, outcome. Browser code only. */
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import {
  CONTACT_TYPE_OPTIONS,
  emptyRow,
  emptyValues,
  fieldIdOf,
  formSpec,
  newRowId,
  planEdit,
  validateForm,
  type FieldIssue,
  type FieldSpec,
  type FormValues,
} from './formModel';
import {
  createdMethodId,
  EMPTY_PROGRESS,
  type FormInit,
  type FormProgress,
  type FromWebview,
  type PageState,
  type SubmitOutcome,
  type ToWebview,
} from './protocol';

export interface PageIo {
  post(message: FromWebview): void;
  saveState(state: PageState): void;
  /**
   * Whether the page starts without saved state: a form just opened, not one rebuilt after it
   * was hidden, nor restored after a reload. Only such a page puts the keyboard in its first field.
   */
  fresh: boolean;
}

type Control = VscodeTextfield | VscodeSingleSelect | VscodeCheckbox;

/** `<tag attr=…>children</tag>`; text is always set as text, never parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | boolean>, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
function el(tag: string, attrs?: Record<string, string | boolean>, ...children: (Node | string)[]): HTMLElement;
function el(tag: string, attrs: Record<string, string | boolean> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

/**
 * Moves the keyboard to `target` once it is drawn, but only while this page has the focus: a
 * page must not pull it away from the workbench (an open command palette, another editor).
 */
function focusSoon(target: HTMLElement | undefined): void {
  if (!target) return;
  setTimeout(() => {
    if (document.hasFocus()) target.focus();
  }, 0);
}

/**
 * Ties a field's error and help to the element inside the component that takes the keyboard (in
 * its shadow root), so a screen reader says "invalid" and reads the message when focus lands
 * there. aria-describedby cannot do it: an id does not resolve out of a shadow root. Element
 * references can point from a shadow root into the document around it.
 */
async function describeField(control: Control, error: HTMLElement | null | undefined, help: HTMLElement | null): Promise<void> {
  await control.updateComplete;
  const inner = control.shadowRoot?.querySelector<HTMLElement>('[role="combobox"], #input');
  if (!inner) return;
  if (error) inner.setAttribute('aria-invalid', 'true');
  else inner.removeAttribute('aria-invalid');
  const described = [error, help].filter((element): element is HTMLElement => element instanceof HTMLElement);
  inner.ariaDescribedByElements = described.length > 0 ? described : null;
  inner.ariaErrorMessageElements = error ? [error] : null;
}

export class FormPage {
  private form: FormInit | undefined;
  private values: FormValues = { fields: {}, rows: [] };
  private initial = '';
  private progress: FormProgress = EMPTY_PROGRESS;
  /** Fields the user has left (or typed in): their problems show while typing. */
  private readonly touched = new Set<string>();
  private attempted = false;
  /** Problems the server reported, shown until the field is edited. */
  private serverIssues: FieldIssue[] = [];
  private submitting: string | undefined;
  private readonly controls = new Map<string, Control>();
  private gone = false;
  /**
   * Whether the next `init` may move the keyboard into the form: for a form just opened, and
   * after the user chose Create Another. Never for a rebuild, a reload or a change elsewhere.
   */
  private focusOnInit: boolean;

  constructor(
    private readonly root: HTMLElement,
    private readonly io: PageIo,
  ) {
    this.focusOnInit = io.fresh;
    root.append(el('main', { id: 'app', 'aria-busy': 'true' }, el('p', { class: 'loading' }, 'Loading the form…')));
    // Capture: see an open drop-down before it handles (and closes on) the same Escape.
    document.addEventListener('keydown', (event) => this.onKey(event), true);
  }

  receive(message: ToWebview): void {
    switch (message.type) {
      case 'init':
        this.form = message.form;
        this.values = message.values;
        // Changes are counted from the record (edits) or an empty form: a restored draft has them.
        this.initial = JSON.stringify(message.form.original ?? emptyValues(message.form.kind));
        this.progress = message.progress;
        // A new start (Create Another, a reload): nothing was tried or reported on these values yet.
        this.touched.clear();
        this.attempted = false;
        this.serverIssues = [];
        this.gone = false;
        this.submitting = message.pending;
        this.io.saveState({ formId: message.form.formId, values: message.values });
        this.render(this.focusOnInit);
        this.focusOnInit = false;
        // What still needs the user: a record made, or a choice about one that may have been.
        // (Shown as it stands: the keyboard stays where the user left it.)
        if (message.pending) this.setStatus('Sending…');
        else if (message.last?.status === 'saved' || message.last?.status === 'maybeCreated') this.showOutcome(message.last, false);
        return;
      case 'submitting':
        if (message.requestId === this.submitting) this.setStatus(message.step);
        return;
      case 'result':
        if (message.requestId !== this.submitting) return;
        this.submitting = undefined;
        // The answer to what the user just sent: the keyboard may follow it.
        this.showOutcome(message.outcome, true);
        return;
      case 'recordGone':
        this.gone = true;
        this.showBanner('error', message.message);
        this.updateChecks();
        return;
    }
  }

  // ---- rendering ----

  /** Draws the whole form; `focusFirst` puts the keyboard in its first editable field (a form just opened). */
  private render(focusFirst = false): void {
    const form = this.form;
    if (!form) return;
    const spec = formSpec(form.kind);
    this.controls.clear();
    const app = el('main', { id: 'app' });
    const header = el(
      'header',
      {},
      el('h1', {}, form.title),
      ...(form.subtitle ? [el('p', { class: 'subtitle' }, form.subtitle)] : []),
      el('p', { class: form.production ? 'profile production' : 'profile' }, form.production ? `${form.profile} · PRODUCTION: changes are real` : form.profile),
    );
    const banner = el('div', { id: 'banner', role: 'alert', hidden: true });
    const formElement = el('form', { id: 'form', novalidate: true, 'aria-describedby': 'summary' });
    const locked = this.progress.person !== undefined;
    for (const field of spec.fields)
      formElement.append(
        this.fieldBlock(
          field,
          `field-${field.key.toLowerCase()}`,
          this.values.fields[field.key] ?? '',
          locked,
          (value) => (this.values.fields[field.key] = value),
        ),
      );
    if (spec.rows) formElement.append(this.rowsBlock(spec.rows.legend, spec.rows.addLabel, spec.rows.fields));
    const submit = el('vscode-button', { id: 'submit', type: 'submit' }, spec.submitLabel);
    const cancel = el('vscode-button', { id: 'cancel', secondary: true }, 'Cancel');
    cancel.addEventListener('click', () => this.requestClose());
    formElement.append(
      el('p', { id: 'plan', class: 'note', hidden: true }),
      el('div', { class: 'actions' }, submit, cancel, el('span', { id: 'summary', 'aria-live': 'polite' })),
      el('p', { id: 'status', class: 'status', 'aria-live': 'polite' }),
    );
    formElement.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    const done = el('section', { id: 'done', hidden: true, 'aria-live': 'polite' });
    app.append(header, banner, formElement, done);
    this.root.replaceChildren(app);
    this.updateChecks();
    if (!focusFirst) return;
    // The workbench focuses the webview, not a field: put the keyboard in the first field that can be typed in.
    const first = [...this.controls.values()].find((control) => !(control as { readonly?: boolean }).readonly && !(control as { disabled?: boolean }).disabled);
    focusSoon(first);
  }

  private fieldBlock(field: FieldSpec, id: string, value: string, locked: boolean, set: (value: string) => void): HTMLElement {
    const block = el('div', { class: 'field' });
    const label = el('vscode-label', { for: id, required: field.required ?? false }, field.label);
    let control: Control;
    if (field.control === 'contactType') {
      const select = el('vscode-single-select', { id, name: field.key, 'aria-label': field.label });
      for (const option of CONTACT_TYPE_OPTIONS) select.append(el('vscode-option', { value: option.value }, option.label));
      select.value = value;
      select.disabled = locked;
      select.addEventListener('change', () => this.edited(id, select.value, set));
      control = select;
    } else if (field.control === 'checkbox') {
      const box = el('vscode-checkbox', { id, name: field.key, label: field.label });
      box.checked = value === 'true';
      box.disabled = locked;
      box.addEventListener('change', () => this.edited(id, box.checked ? 'true' : 'false', set));
      control = box;
      block.append(box);
    } else {
      const input = el('vscode-textfield', { id, name: field.key, placeholder: field.placeholder ?? '' });
      input.value = value;
      input.readonly = locked;
      input.addEventListener('input', () => this.edited(id, input.value, set));
      input.addEventListener('blur', () => {
        this.touched.add(id);
        this.updateChecks();
      });
      control = input;
    }
    this.controls.set(id, control);
    if (field.control !== 'checkbox') block.append(label, control);
    block.append(el('vscode-form-helper', { id: `${id}-error`, class: 'error', hidden: true }));
    if (field.help) block.append(el('vscode-form-helper', { id: `${id}-help`, class: 'help' }, field.help));
    return block;
  }

  private rowsBlock(legend: string, addLabel: string, fields: FieldSpec[]): HTMLElement {
    const set = el('fieldset', { id: 'rows' }, el('legend', {}, legend));
    this.values.rows.forEach((row, index) => {
      const created = createdMethodId(this.progress, row.id);
      const rowElement = el('div', {
        class: created ? 'row created' : 'row',
        role: 'group',
        'aria-label': `${legend} ${index + 1}${created ? ' (created)' : ''}`,
      });
      for (const field of fields) {
        rowElement.append(
          this.fieldBlock(
            field,
            `row-${row.id}-${field.key.toLowerCase()}`,
            row.fields[field.key] ?? '',
            created !== undefined,
            (value) => (row.fields[field.key] = value),
          ),
        );
      }
      if (created) rowElement.append(el('span', { class: 'tag' }, 'Created'));
      else {
        const remove = el('vscode-button', { secondary: true, class: 'remove', 'aria-label': `Remove ${legend.toLowerCase()} ${index + 1}` }, 'Remove');
        remove.addEventListener('click', () => {
          this.values.rows = this.values.rows.filter((other) => other.id !== row.id);
          this.changed();
          this.render();
        });
        rowElement.append(remove);
      }
      set.append(rowElement);
    });
    if (this.values.rows.length === 0) set.append(el('p', { class: 'note' }, 'No contact methods: the contact is created without any.'));
    const add = el('vscode-button', { id: 'add-row', secondary: true }, addLabel);
    add.addEventListener('click', () => {
      const row = { id: newRowId(), fields: emptyRow() };
      this.values.rows.push(row);
      this.changed();
      this.render();
      // Its type is already set (Mobile phone), so the keyboard goes to its value, once it is drawn.
      focusSoon(this.controls.get(`row-${row.id}-value`));
    });
    set.append(add);
    return set;
  }

  // ---- values and checks ----

  private edited(id: string, value: string, set: (value: string) => void): void {
    set(value);
    this.touched.add(id);
    this.serverIssues = this.serverIssues.filter((issue) => fieldIdOf(issue.path, this.values) !== id);
    this.changed();
    this.updateChecks();
  }

  /** Keeps the draft in the page's state (a reload) and in the host (closing the tab), on every change. */
  private changed(): void {
    if (this.form) this.io.saveState({ formId: this.form.formId, values: this.values });
    this.io.post({ type: 'changed', values: this.values });
  }

  private get dirty(): boolean {
    return JSON.stringify(this.values) !== this.initial;
  }

  private updateChecks(): FieldIssue[] {
    const form = this.form;
    if (!form) return [];
    const issues = validateForm(form.kind, this.values);
    const shown = new Map<string, string>();
    for (const issue of [...this.serverIssues, ...issues]) {
      const id = fieldIdOf(issue.path, this.values);
      if (!id || shown.has(id)) continue;
      if (this.attempted || this.touched.has(id) || this.serverIssues.includes(issue)) shown.set(id, issue.message);
    }
    for (const [id, control] of this.controls) {
      const helper = document.getElementById(`${id}-error`);
      const message = shown.get(id);
      if (helper) {
        helper.textContent = message ?? '';
        helper.hidden = message === undefined;
      }
      if ('invalid' in control) control.invalid = message !== undefined;
      void describeField(control, message === undefined ? undefined : helper, document.getElementById(`${id}-help`));
    }
    const summary = document.getElementById('summary');
    const count = new Set(issues.map((issue) => fieldIdOf(issue.path, this.values) ?? issue.message)).size;
    if (summary)
      summary.textContent = this.gone ? 'This record no longer exists.' : count > 0 ? `${count} field${count === 1 ? ' needs' : 's need'} attention` : '';
    const plan = document.getElementById('plan');
    if (plan && form.original) {
      const edit = planEdit(form.kind, form.original, this.values);
      plan.textContent = edit.unchanged ? 'Nothing changed yet.' : (edit.note ?? `Saving sends only what changed (${edit.method}).`);
      plan.hidden = false;
    }
    const submit = document.getElementById('submit') as (HTMLElement & { disabled: boolean }) | null;
    if (submit) submit.disabled = this.submitting !== undefined || this.gone;
    return issues;
  }

  // ---- submitting ----

  private submit(resolution?: { use: string } | { createAnyway: true }): void {
    if (this.submitting || !this.form || this.gone) return;
    this.attempted = true;
    const issues = this.updateChecks();
    const requestId = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.submitting = requestId;
    this.updateChecks();
    this.hideBanner();
    this.setStatus(issues.length > 0 ? 'Checking…' : 'Sending…');
    // Sent even when a check fails: the host checks again, says so in the Problems panel and sends nothing.
    this.io.post({ type: 'submit', requestId, values: this.values, resolution });
  }

  /** Shows a submit's outcome; `focus` (an answer to the user's own submit) moves the keyboard to what it asks for next. */
  private showOutcome(outcome: SubmitOutcome, focus: boolean): void {
    this.progress = outcome.progress;
    this.setStatus('');
    if (outcome.status === 'saved') {
      this.serverIssues = [];
      // Saved: nothing is left to lose by closing.
      this.initial = JSON.stringify(this.values);
      this.showDone(outcome.message, focus);
      return;
    }
    this.serverIssues = outcome.fieldErrors;
    // Created steps are locked now: render again so they show as such.
    this.render();
    this.showBanner(outcome.status === 'maybeCreated' ? 'warning' : 'error', outcome.message, outcome.title, outcome.traceId, outcome.candidates);
    this.updateChecks();
    const firstInvalid = outcome.fieldErrors.map((issue) => fieldIdOf(issue.path, this.values)).find((id) => id !== undefined);
    if (focus && firstInvalid) focusSoon(this.controls.get(firstInvalid));
  }

  private showDone(message: string, focus: boolean): void {
    const form = document.getElementById('form');
    const done = document.getElementById('done');
    if (!form || !done) return;
    form.hidden = true;
    const another = el('vscode-button', { id: 'create-another' }, 'Create Another');
    another.addEventListener('click', () => {
      // The new, empty form that comes back takes the keyboard in its first field.
      this.focusOnInit = true;
      this.io.post({ type: 'createAnother' });
    });
    const close = el('vscode-button', { id: 'close', secondary: true }, 'Close');
    close.addEventListener('click', () => this.io.post({ type: 'close', dirty: false }));
    done.replaceChildren(el('p', { class: 'success', role: 'status' }, message), el('div', { class: 'actions' }, another, close));
    done.hidden = false;
    if (focus) focusSoon(another);
  }

  private showBanner(
    kind: 'error' | 'warning',
    message: string,
    title?: string,
    traceId?: string,
    candidates?: { id: string; label: string; detail: string }[],
  ): void {
    const banner = document.getElementById('banner');
    if (!banner) return;
    banner.className = `banner ${kind}`;
    const parts: Node[] = [];
    if (title) parts.push(el('strong', {}, title));
    parts.push(el('p', {}, message));
    if (traceId) {
      const copy = el('vscode-button', { secondary: true, class: 'copy' }, 'Copy Trace ID');
      copy.addEventListener('click', () => this.io.post({ type: 'copy', text: traceId }));
      parts.push(el('p', { class: 'trace' }, 'Trace ID ', el('code', {}, traceId), ' ', copy));
    }
    if (candidates) {
      const list = el('ul', { class: 'candidates' });
      for (const candidate of candidates) {
        const use = el('vscode-button', {}, 'Use This One');
        use.addEventListener('click', () => this.submit({ use: candidate.id }));
        list.append(el('li', {}, el('span', {}, el('strong', {}, candidate.label), ` ${candidate.detail}`), use));
      }
      const again = el('vscode-button', { secondary: true }, candidates.length > 0 ? 'Create Another Anyway' : 'Create It Now');
      again.addEventListener('click', () => this.submit({ createAnyway: true }));
      parts.push(list, again);
    }
    banner.replaceChildren(...parts);
    banner.hidden = false;
  }

  private hideBanner(): void {
    const banner = document.getElementById('banner');
    if (banner) banner.hidden = true;
  }

  private setStatus(text: string): void {
    const status = document.getElementById('status');
    if (status) status.textContent = text;
  }

  private requestClose(): void {
    this.io.post({ type: 'close', dirty: this.dirty });
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    // Escape first closes an open drop-down.
    if ([...this.controls.values()].some((control) => (control as { open?: boolean }).open === true)) return;
    event.preventDefault();
    this.requestClose();
  }
}
