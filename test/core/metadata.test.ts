import { expect } from 'chai';
import { Harness } from '../support/harness';

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
}
interface Metadata {
  contracts: Record<string, { transactions: Array<{ name: string; returns?: Schema }> }>;
  components: { schemas: Record<string, Schema> };
}

const PREFIX = '#/components/schemas/';

/** The contract metadata (fabric-contract-api @Object/@Property/@Returns) says what each transaction returns. */
describe('chaincode: contract metadata', function () {
  this.timeout(60_000);
  let h: Harness;
  let metadata: Metadata;
  before(async () => {
    h = await Harness.create();
    metadata = JSON.parse(await h.ledger.evaluate({ fn: 'org.hyperledger.fabric:GetMetadata', args: [] })) as Metadata;
  });
  after(() => h.close());

  it('names a returned object for every business transaction', () => {
    const problems: string[] = [];
    let transactions = 0;
    for (const [contract, { transactions: txs }] of Object.entries(metadata.contracts)) {
      if (contract === 'org.hyperledger.fabric') continue;
      for (const tx of txs) {
        transactions++;
        const returned = tx.returns?.items ?? tx.returns;
        const ref = returned?.$ref;
        if (!ref?.startsWith(PREFIX)) problems.push(`${contract}:${tx.name} returns ${JSON.stringify(tx.returns)}`);
        else if (!metadata.components.schemas[ref.slice(PREFIX.length)])
          problems.push(`${contract}:${tx.name} returns the unknown ${ref}`);
      }
    }
    expect(problems).to.deep.equal([]);
    expect(transactions).to.be.greaterThan(100);
  });

  it('describes the records by their fields', () => {
    const transfer = metadata.components.schemas.TransferRecord;
    expect(Object.keys(transfer.properties ?? {})).to.include.members(['id', 'from', 'to', 'amount', 'legs', 'txId']);
    expect(transfer.properties?.amount.type).to.equal('string');
    expect(transfer.properties?.legs.items?.$ref).to.equal('LegRecord');
    const listMembers = metadata.contracts.Identity.transactions.find((tx) => tx.name === 'listMembers');
    expect(listMembers?.returns).to.deep.equal({ type: 'array', items: { $ref: `${PREFIX}MemberRecord` } });
  });
});
