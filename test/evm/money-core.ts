import { expect } from 'chai';
import { ethers } from 'hardhat';
import { FORWARD_REQUEST_TYPES as FORWARD_REQUEST } from '../../ledger/evm/member-signer';

const ROLE = { regulator: 0, bank: 1, enterprise: 2, auditor: 5, oracle: 6, court: 7 };
const SETTLEMENT = 1;
const WALLET = 2;
const roles = (...r: number[]) => r.reduce((s, x) => s | (1n << BigInt(x)), 0n);

describe('MoneyCore (EVM)', () => {
  async function deployed() {
    const [orgAdmin, bank, oracle, alice, bob, regAdmin, regulator, court, relayer] = await ethers.getSigners();
    const forwarder = await (await ethers.getContractFactory('Forwarder')).deploy();
    const core = await (
      await ethers.getContractFactory('MoneyCore')
    ).deploy('Org1MSP', 'admin', await forwarder.getAddress());
    await core.registerMember(bank.address, 'bank1', roles(ROLE.bank), false);
    await core.registerMember(oracle.address, 'oracle1', roles(ROLE.oracle), false);
    await core.registerMember(alice.address, 'alice', roles(ROLE.enterprise), false);
    await core.registerMember(bob.address, 'bob', roles(ROLE.enterprise), false);
    await core.admitOrg(regAdmin.address, 'Org2MSP', 'admin');
    await core.connect(regAdmin).registerMember(regulator.address, 'regulator1', roles(ROLE.regulator), false);
    await core.connect(regAdmin).registerMember(court.address, 'court1', roles(ROLE.court), false);
    await core.connect(bank).openAccount('A', SETTLEMENT, 'Org1MSP:alice', 'ref-A', '');
    await core.connect(bank).openAccount('B', SETTLEMENT, 'Org1MSP:bob', 'ref-B', '');
    return { core, forwarder, bank, oracle, alice, bob, regulator, court, relayer, orgAdmin };
  }
  type Deployed = Awaited<ReturnType<typeof deployed>>;

  async function lotsOf(core: Deployed['core'], account: string) {
    const [colors, amounts] = await core.lotsOf(account);
    return colors.map((c: string, i: number) => `${c}=${amounts[i]}`);
  }

  it('mirrors deposits once and moves colored lots FIFO, conserving money', async () => {
    const { core, oracle, alice } = await deployed();
    await core.connect(oracle).mirrorDeposit('A', 700n, 'off-1', 'red');
    await expect(core.connect(oracle).mirrorDeposit('A', 700n, 'off-1', 'red')).not.to.emit(core, 'History');
    await core.connect(oracle).mirrorDeposit('A', 300n, 'off-2', 'blue');
    await core.connect(alice).transfer('t1', 'A', 'B', 800n, 'goods', '');
    await expect(core.connect(alice).transfer('t1', 'A', 'B', 800n, 'goods', '')).not.to.emit(core, 'Transferred');
    expect(await lotsOf(core, 'B')).to.deep.equal(['red=700', 'blue=100']);
    await core.connect(oracle).mirrorWithdrawal('B', 750n, 'off-3');
    const [, , a] = await core.accountOf('A');
    const [, , b] = await core.accountOf('B');
    expect(a + b).to.equal((await core.totalDeposits()) - (await core.totalWithdrawals()));
    const sink = await core.sourcesOf('withdrawal:Org1MSP:off-3');
    expect(sink.map((s) => `${s.source}=${s.amount}`)).to.deep.equal([
      'deposit:Org1MSP:off-1=700',
      'deposit:Org1MSP:off-2=50',
    ]);
  });

  it('shares a take over a lot’s sources pro rata in exact fen, ties to the first source', async () => {
    const { core, oracle, alice } = await deployed();
    await core.connect(oracle).mirrorDeposit('A', 10n, 'd2', 'red');
    await core.connect(oracle).mirrorDeposit('A', 10n, 'd1', 'red');
    await core.connect(alice).transfer('t1', 'A', 'B', 1n, 'goods', '');
    const moved = await core.sourcesOf('B/red');
    expect(moved.map((s) => `${s.source}=${s.amount}`)).to.deep.equal(['deposit:Org1MSP:d1=1']);
    const forward = await core.holdersOf('deposit:Org1MSP:d1');
    expect(forward.map((s) => `${s.source}=${s.amount}`)).to.deep.equal(['A/red=9', 'B/red=1']);
  });

  it('re-checks roles, status, funds, idempotency and owners', async () => {
    const { core, oracle, alice, bob, regulator, bank } = await deployed();
    await expect(
      core.connect(alice).openAccount('C', SETTLEMENT, 'Org1MSP:alice', 'r', ''),
    ).to.be.revertedWithCustomError(core, 'RoleRequired');
    await core.connect(oracle).mirrorDeposit('A', 5n, 'off-1', 'red');
    await expect(core.connect(oracle).mirrorDeposit('A', 6n, 'off-1', 'red')).to.be.revertedWithCustomError(
      core,
      'IdempotencyConflict',
    );
    await expect(core.connect(oracle).mirrorWithdrawal('A', 5n, 'off-1')).to.be.revertedWithCustomError(
      core,
      'IdempotencyConflict',
    );
    await expect(core.connect(alice).transfer('t', 'A', 'B', 6n, 'goods', '')).to.be.revertedWithCustomError(
      core,
      'InsufficientFunds',
    );
    await expect(core.connect(bob).transfer('t2', 'A', 'B', 1n, 'goods', ''))
      .to.be.revertedWithCustomError(core, 'AccountNotFound')
      .withArgs('from');
    await expect(
      core.connect(alice).transfer('t3', 'A', 'B', 10n ** 15n + 1n, 'goods', ''),
    ).to.be.revertedWithCustomError(core, 'InvalidAmount');
    await expect(core.connect(alice).transfer('bad id!', 'A', 'B', 1n, 'goods', '')).to.be.revertedWithCustomError(
      core,
      'InvalidId',
    );
    await core.connect(regulator).freezeAccount('A', '', 'inquiry');
    await expect(core.connect(alice).transfer('t4', 'A', 'B', 1n, 'goods', ''))
      .to.be.revertedWithCustomError(core, 'AccountFrozen')
      .withArgs('from');
    await expect(core.connect(bank).closeAccount('A')).to.be.revertedWithCustomError(core, 'AccountFrozen');
    await core.connect(regulator).unfreezeAccount('A', '', 'done');
    await expect(core.connect(bank).closeAccount('A')).to.be.revertedWithCustomError(core, 'BalanceNotZero');
    await expect(core.connect(bank).closeAccount('B')).not.to.be.reverted;
  });

  it('keeps freeze orders apart: only the authority that imposed one lifts it', async () => {
    const { core, regulator, court } = await deployed();
    await core.connect(court).freezeAccount('A', 'CASE-1', 'ruling');
    await core.connect(regulator).freezeAccount('A', '', 'inquiry');
    await expect(core.connect(regulator).unfreezeAccount('A', 'CASE-1', 'x'))
      .to.be.revertedWithCustomError(core, 'NotFreezeAuthority')
      .withArgs('CASE-1');
    await core.connect(regulator).unfreezeAccount('A', '', 'done');
    expect((await core.accountOf('A'))[0].status).to.equal(2n); // still frozen by the court
    await core.connect(court).unfreezeAccount('A', 'CASE-1', 'lifted');
    expect((await core.accountOf('A'))[0].status).to.equal(1n);
    await expect(core.connect(court).unfreezeAccount('A', 'CASE-1', 'lifted')).not.to.emit(core, 'AccountStatus');
  });

  it('leaves cross-org accounts and e-CNY wallets to the chaincode', async () => {
    const { core, bank } = await deployed();
    await expect(core.connect(bank).openAccount('W', WALLET, 'Org1MSP:alice', 'r', ''))
      .to.be.revertedWithCustomError(core, 'NotOnThisLedger')
      .withArgs('e-CNY wallets (tier limits)');
    await expect(core.connect(bank).openAccount('X', SETTLEMENT, 'Org2MSP:regulator1', 'r', ''))
      .to.be.revertedWithCustomError(core, 'NotOnThisLedger')
      .withArgs('accounts for members of another org');
  });

  it('runs a member’s own EIP-712 request relayed by someone else, and refuses a forged one', async () => {
    const { core, forwarder, oracle, alice, bob, relayer } = await deployed();
    await core.connect(oracle).mirrorDeposit('A', 50n, 'off-1', 'red');
    const { chainId } = await ethers.provider.getNetwork();
    const domain = { name: 'Lianjian', version: '1', chainId, verifyingContract: await forwarder.getAddress() };
    const request = {
      from: alice.address,
      to: await core.getAddress(),
      value: 0n,
      gas: 1_000_000n,
      nonce: await forwarder.nonces(alice.address),
      deadline: 2n ** 40n,
      data: core.interface.encodeFunctionData('transfer', ['t1', 'A', 'B', 20n, 'goods', '']),
    };
    const forged = await bob.signTypedData(domain, FORWARD_REQUEST, request);
    expect(await forwarder.verify({ ...request, signature: forged })).to.equal(false);
    await expect(forwarder.connect(relayer).execute({ ...request, signature: forged })).to.be.reverted;
    const signature = await alice.signTypedData(domain, FORWARD_REQUEST, request);
    await forwarder.connect(relayer).execute({ ...request, signature });
    expect(await lotsOf(core, 'B')).to.deep.equal(['red=20']);
    expect((await core.transferOf('t1'))[1]).to.equal('Org1MSP:alice');
  });
});
