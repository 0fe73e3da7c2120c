/**
 * The forms' webview panel type, in a module of its own: the serializer registered on activation
 * (src/forms/forms.ts) names it without loading the forms' host. package.json activates the
 * extension on `onWebviewPanel:stcrm.form`.
 */
export const FORM_VIEW_TYPE = 'stcrm.form';
