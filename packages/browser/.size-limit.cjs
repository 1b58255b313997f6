// Bundle budgets (min+gzip, size-limit with its esbuild plugin, on the packages' builds: run
// `pnpm build` first). Each row is a small app in size/; what it measures is what that page loads:
// its code up front, plus the parts it loads on demand while reading (named in `lazy`). Every other
// `import()` (the client's writing, fetch and change watching; superjson where the JSON codec reads;
// tweetnacl, which only browsers without WebCrypto Ed25519 load) is left out, as a browser would not
// download it for this read. Without that, esbuild would inline every dynamically imported module
// into the one bundle size-limit measures, counting code the page never loads.

/**
 * An esbuild config for a page as a browser app ships it (ES modules), whose dynamic imports stay
 * imports (not measured), except those whose path matches one of `lazy`.
 */
const loading =
  (...lazy) =>
  (config) => ({
    ...config,
    format: 'esm',
    plugins: [
      ...(config.plugins ?? []),
      {
        name: 'dynamic-imports-not-loaded',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'dynamic-import' && !lazy.some((pattern) => pattern.test(args.path))
              ? { path: args.path, external: true }
              : undefined,
          )
        },
      },
    ],
  })

module.exports = [
  {
    name: 'readSession reads one client-visible session (JSON codec)',
    path: 'size/read-session.js',
    modifyEsbuildConfig: loading(),
    gzip: true,
    limit: '4 kB',
  },
  {
    name: 'the client reads one client-visible session (JSON codec)',
    path: 'size/client-json.js',
    modifyEsbuildConfig: loading(),
    gzip: true,
    limit: '6 kB',
  },
  {
    name: 'the client reads a Map and a Date (default codec, superjson loaded)',
    path: 'size/client-rich.js',
    modifyEsbuildConfig: loading(/^superjson$/),
    gzip: true,
    // superjson 2.2.7 alone is 5.26 kB of it (min+gzip, measured the same way): the 10 kB goal is
    // missed by about 0.45 kB, and this ceiling keeps it from growing. 10.58 kB until core's option
    // name lists stopped being built with spreads a bundler cannot drop; 10.43 kB since (`pnpm size`).
    limit: '10.45 kB',
  },
  {
    name: 'readSession where WebCrypto lacks Ed25519 (tweetnacl loaded)',
    path: 'size/read-session.js',
    modifyEsbuildConfig: loading(/nacl/),
    gzip: true,
    limit: '16 kB',
  },
]
