import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { artifacts } from 'hardhat';
import { EXPORT_DIR, EXPORTED_CONTRACTS } from '../../hardhat.config';

describe('exported EVM artifacts (ledger/evm/artifacts)', () => {
  for (const name of EXPORTED_CONTRACTS) {
    it(`${name}.json matches the compiled contract (else run: npx hardhat evm-artifacts)`, async () => {
      const compiled = await artifacts.readArtifact(name);
      const exported = JSON.parse(fs.readFileSync(path.join(EXPORT_DIR, `${name}.json`), 'utf8')) as {
        abi: unknown;
        bytecode: string;
      };
      expect(exported.abi, 'ABI').to.deep.equal(compiled.abi);
      expect(exported.bytecode === compiled.bytecode, 'bytecode differs').to.equal(true);
    });
  }
});
