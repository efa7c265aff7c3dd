/**
 * Import rules checked by `npm run lint` (dependency-cruiser): no cycles between files, and the
 * layers import one way only: chaincode ← network ← ledger ← oracles ← gateway ← bin/bench.
 */
const layer = (name, mayImport) => ({
  name: `${name}-imports-down-only`,
  severity: 'error',
  comment: `${name}/ may import only from ${mayImport.join(', ')} (chaincode ← network ← ledger ← oracles ← gateway ← bin/bench)`,
  from: { path: `^${name}/` },
  to: {
    path: '^(chaincode|network|ledger|oracles|gateway|bin|bench|test)/',
    pathNot: `^(${[name, ...mayImport].join('|')})/`,
  },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'files must not import each other in a cycle',
      from: {},
      to: { circular: true },
    },
    layer('chaincode', []),
    layer('network', ['chaincode']),
    layer('ledger', ['chaincode', 'network']),
    layer('oracles', ['chaincode', 'network', 'ledger']),
    layer('gateway', ['chaincode', 'network', 'ledger', 'oracles']),
    layer('bin', ['chaincode', 'network', 'ledger', 'oracles', 'gateway', 'bench']),
    // Benches build their scenarios with the tests' fixtures.
    layer('bench', ['chaincode', 'network', 'ledger', 'oracles', 'gateway', 'test']),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.build)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
