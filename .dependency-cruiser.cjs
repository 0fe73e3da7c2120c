// House rules about imports, checked by `npm run lint:deps` (dependency-cruiser). Type-only
// imports count (tsPreCompilationDeps): a cycle through types is still a cycle in the design.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere: layers only import downward.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'commands-not-tree',
      severity: 'error',
      comment:
        'Record commands, quick inputs, forms and request files never import the tree: the record a command acts on ' +
        'comes as plain data through src/model/commandTarget.ts, and changes reach the tree through src/model/recordChanges.ts.',
      from: { path: '^src/(records|quickInput|forms|requests)/' },
      to: { path: '^src/tree/' },
    },
    {
      name: 'quickInput-is-ui-only',
      severity: 'error',
      comment: 'src/quickInput holds input pieces (steps, pickers) that the commands use: it writes nothing and knows no command, form or tree.',
      from: { path: '^src/quickInput/' },
      to: { path: '^src/(records|forms|tree|writes|requests)/' },
    },
    {
      name: 'forms-page-is-browser-code',
      severity: 'error',
      comment:
        'src/forms/page is what the webview bundles: of this repository it imports its own folder, the request schemas and ' +
        'field paths only, never the extension host (eslint bans vscode and Node there too).',
      from: { path: '^src/forms/page/' },
      to: { path: '^(src|sandbox|test|scripts)/', pathNot: '^src/(forms/page/|api/schemas/|api/fieldPath\\.ts$)' },
    },
    {
      name: 'model-is-plain-data',
      severity: 'error',
      comment: 'src/model (records, changes, command targets) sits under every UI: it imports only the API client and itself.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/(model|api)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules|\\.test-host|\\.package)/' },
  },
};
