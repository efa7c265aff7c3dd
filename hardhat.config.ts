/**
 * Hardhat compiles contracts/ with the solc-js compiler from the `solc` npm package, so builds
 * work offline (no compiler download): the GET_SOLC_BUILD subtask is pointed at it.
 * `npx hardhat evm-artifacts` writes the ABI and bytecode the product code deploys and calls to
 * ledger/evm/artifacts/ (committed, so `npm start` and the mocha tests need no compiler);
 * test/evm/artifacts.ts fails when they drift from the contracts.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { subtask, task } from 'hardhat/config';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';
import type { HardhatUserConfig } from 'hardhat/types';
import '@nomicfoundation/hardhat-ethers';
import '@nomicfoundation/hardhat-chai-matchers';

const SOLC_VERSION = '0.8.28';

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // solc-js is untyped CommonJS; only its version string is read.
  const solc = createRequire(__filename)('solc') as { version(): string };
  return {
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

/** The contracts whose ABI and bytecode the product code uses. */
export const EXPORTED_CONTRACTS = ['Witness', 'MoneyCore', 'Forwarder'];
export const EXPORT_DIR = path.join(__dirname, 'ledger/evm/artifacts');

task('evm-artifacts', 'compiles and writes ABI + bytecode of the product contracts to ledger/evm/artifacts/').setAction(
  async (_args, hre) => {
    await hre.run('compile', { quiet: true });
    fs.mkdirSync(EXPORT_DIR, { recursive: true });
    for (const name of EXPORTED_CONTRACTS) {
      const { contractName, sourceName, abi, bytecode } = await hre.artifacts.readArtifact(name);
      const out = { contractName, sourceName, compiler: SOLC_VERSION, abi, bytecode };
      fs.writeFileSync(path.join(EXPORT_DIR, `${name}.json`), JSON.stringify(out, null, 2) + '\n');
      console.log(`wrote ${path.relative(process.cwd(), path.join(EXPORT_DIR, `${name}.json`))}`);
    }
  },
);

const config: HardhatUserConfig = {
  // cancun: OpenZeppelin 5's forwarder uses mcopy (Besu, Hardhat and recent FISCO BCOS 3 run cancun).
  solidity: {
    version: SOLC_VERSION,
    settings: { evmVersion: 'cancun', viaIR: true, optimizer: { enabled: true, runs: 200 } },
  },
  paths: { sources: './contracts', tests: './test/evm', cache: './cache', artifacts: './artifacts' },
};

export default config;
