// House rules about imports, checked by `npm run lint:deps` (dependency-cruiser). Type-only
// imports count (tsPreCompilationDeps): a cycle through types is still a cycle in the design.
//
// The sandbox's layers, top to bottom (sandbox/README.md, "How the code is laid out"):
//   cli.ts, index.ts -> server.ts -> routes/ (one module per resource) and routes/shared/
//   -> the gateway pieces (http, binding, auth, faults, rateLimit, validation, specSchemas, liveNulls)
//   -> store.ts, salesStore.ts and the data file (persistence, journal, ...) -> lists/
//   -> query/ (paging, date ranges, sorting, id order, contact-value keys) -> types.ts, errors.ts.

/** The sandbox's state and what saves it: below the routes and the gateway. */
const STORE =
  '^sandbox/(store|salesStore|persistence|journal|snapshotFile|mutationRecorder|dataFileSchema|salesSnapshotSchema|dataFileLock|changeFeed|seed|tokenGeneration|customFieldTypes)\\.ts$';
/** Everything that handles HTTP: the entry points, the server, the routes and the gateway pieces. */
const HTTP_LAYERS = '^sandbox/(cli|cliMain|cliOptions|index|server|http|binding|auth|faults|rateLimit|specSchemas|validation|liveNulls)\\.ts$|^sandbox/routes/';

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
      name: 'suite-engine-below-the-editor',
      comment:
        'The suite engine (src/suites) and the stcrm command line (src/cli) run in plain Node: they never import the ' +
        "editor's side of suites (src/testing: the Testing view, CodeLens, diagnostics, stcrm.runTests), which renders what they answer.",
      severity: 'error',
      from: { path: '^src/(suites|cli)/' },
      to: { path: '^src/testing/' },
    },
    {
      name: 'model-is-plain-data',
      severity: 'error',
      comment: 'src/model (records, changes, command targets) sits under every UI: it imports only the API client and itself.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/(model|api)/' },
    },
    {
      name: 'agent-tools-are-plain',
      severity: 'error',
      comment:
        'src/agent is the one implementation of the agent tools, shared by the editor (src/agentTools) and the MCP server (src/cli): ' +
        'it builds on the API client, the write pipeline and the record model only, never on a VS Code surface or the CLI.',
      from: { path: '^src/agent/' },
      to: { path: '^src/', pathNot: '^src/(agent|api|writes|model)/' },
    },
    {
      name: 'mcp-sdk-in-the-cli-only',
      severity: 'error',
      comment: 'The MCP SDK serves `stcrm mcp` (src/cli): the extension never loads it (its bundle and activation budget stay as they are).',
      from: { pathNot: '^(src/cli|test)/' },
      to: { path: '@modelcontextprotocol' },
    },
    {
      name: 'sandbox-store-below-http',
      severity: 'error',
      comment:
        'The sandbox stores, the data file and lists/ hold state and answer queries; they never import the routes, the server ' +
        'or the gateway pieces above them (what a route needs from them goes through their own methods).',
      from: { path: [STORE, '^sandbox/lists/'] },
      to: { path: HTTP_LAYERS },
    },
    {
      name: 'sandbox-lists-below-store',
      severity: 'error',
      comment:
        'lists/ reads the store through the interfaces it declares (StoreChanges, CustomerReads, LocationReads), so the store ' +
        'can build its lists without a cycle: lists/ never imports the stores or the data file.',
      from: { path: '^sandbox/lists/' },
      to: { path: STORE, pathNot: '^sandbox/(seed|changeFeed)\\.ts$' },
    },
    {
      name: 'sandbox-routes-not-on-sibling-routes',
      severity: 'error',
      comment:
        'A route module serves one resource. What two resources share (response mappers, body-field and query readers, ' +
        'the phone-contact routes of customers and locations) lives in routes/shared/, which imports no route module either.',
      from: { path: '^sandbox/routes/' },
      to: { path: '^sandbox/routes/[^/]+\\.ts$' },
    },
    {
      name: 'sandbox-query-at-the-bottom',
      severity: 'error',
      comment:
        'sandbox/query/ (paging, date ranges, sorting and id order, contact-value keys) is what the lists, the store and the ' +
        'routes build on: it imports only its own modules, types.ts and errors.ts.',
      from: { path: '^sandbox/query/' },
      to: { path: '^sandbox/', pathNot: '^sandbox/(query/|types\\.ts$|errors\\.ts$)' },
    },
    {
      name: 'sandbox-types-and-errors-are-the-floor',
      severity: 'error',
      comment: 'sandbox/types.ts and sandbox/errors.ts are imported by every layer, so they import nothing of the sandbox.',
      from: { path: '^sandbox/(types|errors)\\.ts$' },
      to: { path: '^sandbox/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules|\\.test-host|\\.package)/' },
  },
};
