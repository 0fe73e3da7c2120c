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
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules|\\.test-host|\\.package)/' },
  },
};
