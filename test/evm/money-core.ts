import { expect } from 'chai';
import { ethers } from 'hardhat';

const b32 = (s: string) => ethers.encodeBytes32String(s);
const ROLE = { regulator: 0, bank: 1, enterprise: 2, auditor: 5, oracle: 6 };
const KIND = { settlement: 1, wallet: 2 };
const NODE = { lot: 0, deposit: 1, withdrawal: 2 };
const roles = (...r: number[]) => r.reduce((s, x) => s | (1n << BigInt(x)), 0n);
const memo = ethers.id('purpose|ref');
const lot = (account: string, color: string) => ({ kind: NODE.lot, a: b32(account), b: b32(color) });
const nodeText = ([kind, a, b]: [bigint, string, string]) =>
  `${['lot', 'deposit', 'withdrawal'][Number(kind)]}:${ethers.decodeBytes32String(a)}:${ethers.decodeBytes32String(b)}`;

describe('MoneyCore (EVM)', () => {
  async function deployed() {
    const [orgAdmin, bank, oracle, alice, bob, regAdmin, regulator, auditor] = await ethers.getSigners();
    const core = await (await ethers.getContractFactory('MoneyCore')).deploy(b32('Org1MSP'));
    await core.registerMember(bank.address, roles(ROLE.bank), false);
    await core.registerMember(oracle.address, roles(ROLE.oracle), false);
    await core.registerMember(alice.address, roles(ROLE.enterprise), false);
    await core.registerMember(bob.address, roles(ROLE.enterprise), false);
    await core.admitOrg(regAdmin.address, b32('Org2MSP'));
    await core.connect(regAdmin).registerMember(regulator.address, roles(ROLE.regulator), false);
    await core.connect(regAdmin).registerMember(auditor.address, roles(ROLE.auditor), false);
    await core.connect(bank).openAccount(b32('A'), alice.address, KIND.settlement, b32('ref-A'));
    await core.connect(bank).openAccount(b32('B'), bob.address, KIND.settlement, b32('ref-B'));
    return { core, bank, oracle, alice, bob, regulator, auditor, orgAdmin };
  }

  async function lotsOf(core: Awaited<ReturnType<typeof deployed>>['core'], account: string) {
    const [colors, amounts] = await core.lotsOf(b32(account));
    return colors.map((c: string, i: number) => `${ethers.decodeBytes32String(c)}=${amounts[i]}`);
  }

  it('mirrors deposits once and moves colored lots FIFO, conserving money', async () => {
    const { core, oracle, alice, bob } = await deployed();
    await core.connect(oracle).mirrorDeposit(b32('A'), 700n, b32('off-1'), b32('red'));
    await core.connect(oracle).mirrorDeposit(b32('A'), 700n, b32('off-1'), b32('red')); // replay: no-op
    await core.connect(oracle).mirrorDeposit(b32('A'), 300n, b32('off-2'), b32('blue'));
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 800n, memo);
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 800n, memo); // replay: no-op
    expect(await lotsOf(core, 'B')).to.deep.equal(['red=700', 'blue=100']);
    expect((await core.balanceOf(b32('A'), b32('blue'))).total).to.equal(200n);
    await core.connect(oracle).mirrorWithdrawal(b32('B'), 750n, b32('off-3'));
    const total = (await core.balanceOf(b32('A'), b32('x'))).total + (await core.balanceOf(b32('B'), b32('x'))).total;
    expect(total).to.equal((await core.totalDeposits()) - (await core.totalWithdrawals()));
    await expect(core.connect(bob).transfer(b32('t2'), b32('A'), b32('B'), 1n, memo)).to.be.revertedWithCustomError(
      core,
      'NotAccountOwner',
    );
  });

  it('re-checks roles, status, funds and idempotency', async () => {
    const { core, oracle, alice, regulator, bank } = await deployed();
    await expect(
      core.connect(alice).openAccount(b32('C'), alice.address, KIND.wallet, b32('r')),
    ).to.be.revertedWithCustomError(core, 'RoleRequired');
    await expect(core.connect(alice).mirrorDeposit(b32('A'), 1n, b32('x'), b32('c'))).to.be.revertedWithCustomError(
      core,
      'RoleRequired',
    );
    await core.connect(oracle).mirrorDeposit(b32('A'), 5n, b32('off-1'), b32('red'));
    await expect(
      core.connect(oracle).mirrorDeposit(b32('A'), 6n, b32('off-1'), b32('red')),
    ).to.be.revertedWithCustomError(core, 'IdempotencyConflict');
    await expect(core.connect(oracle).mirrorWithdrawal(b32('A'), 5n, b32('off-1'))).to.be.revertedWithCustomError(
      core,
      'IdempotencyConflict',
    );
    await expect(core.connect(alice).transfer(b32('t'), b32('A'), b32('B'), 6n, memo)).to.be.revertedWithCustomError(
      core,
      'InsufficientFunds',
    );
    await expect(core.connect(alice).transfer(b32('t0'), b32('A'), b32('B'), 0n, memo)).to.be.revertedWithCustomError(
      core,
      'InvalidAmount',
    );
    await core.connect(regulator).setFrozen(b32('A'), true);
    await expect(core.connect(alice).transfer(b32('t3'), b32('A'), b32('B'), 1n, memo)).to.be.revertedWithCustomError(
      core,
      'AccountNotActive',
    );
    await expect(core.connect(bank).closeAccount(b32('B'))).not.to.be.reverted;
    await expect(core.connect(bank).closeAccount(b32('A'))).to.be.revertedWithCustomError(core, 'AccountNotActive');
    await core.connect(regulator).setFrozen(b32('A'), false);
    await expect(core.connect(bank).closeAccount(b32('A'))).to.be.revertedWithCustomError(core, 'BalanceNotZero');
  });

  it('refuses a transfer to the same account (chaincode SAME_ACCOUNT) and leaves the lots as they were', async () => {
    const { core, oracle, alice } = await deployed();
    await core.connect(oracle).mirrorDeposit(b32('A'), 5n, b32('off-1'), b32('red'));
    await core.connect(oracle).mirrorDeposit(b32('A'), 5n, b32('off-2'), b32('blue'));
    await expect(core.connect(alice).transfer(b32('t'), b32('A'), b32('A'), 7n, memo))
      .to.be.revertedWithCustomError(core, 'SameAccount')
      .withArgs(b32('A'));
    expect(await lotsOf(core, 'A')).to.deep.equal(['red=5', 'blue=5']);
  });

  it('a color that was used up and arrives again queues last, as a new lot does in chaincode', async () => {
    const { core, oracle, alice } = await deployed();
    await core.connect(oracle).mirrorDeposit(b32('A'), 5n, b32('off-1'), b32('red'));
    await core.connect(oracle).mirrorDeposit(b32('A'), 5n, b32('off-2'), b32('blue'));
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 5n, memo);
    await core.connect(oracle).mirrorDeposit(b32('A'), 3n, b32('off-3'), b32('red'));
    expect(await lotsOf(core, 'A')).to.deep.equal(['blue=5', 'red=3']);
    await core.connect(alice).transfer(b32('t2'), b32('A'), b32('B'), 6n, memo);
    expect(await lotsOf(core, 'A')).to.deep.equal(['red=2']);
    expect(await lotsOf(core, 'B')).to.deep.equal(['red=6', 'blue=5']);
  });

  it('replays openings, freezes and closings as no-ops like chaincode, and checks the owner is a member', async () => {
    const { core, bank, alice, bob, regulator, oracle } = await deployed();
    await expect(core.connect(bank).openAccount(b32('A'), alice.address, KIND.settlement, b32('ref-A'))).not.to.emit(
      core,
      'AccountOpened',
    );
    await expect(
      core.connect(bank).openAccount(b32('A'), bob.address, KIND.settlement, b32('ref-A')),
    ).to.be.revertedWithCustomError(core, 'AccountExists');
    await expect(
      core.connect(bank).openAccount(b32('A'), alice.address, KIND.wallet, b32('ref-A')),
    ).to.be.revertedWithCustomError(core, 'AccountExists');
    const stranger = ethers.Wallet.createRandom().address;
    await expect(core.connect(bank).openAccount(b32('S'), stranger, KIND.wallet, b32('r')))
      .to.be.revertedWithCustomError(core, 'NotAMember')
      .withArgs(stranger);
    await expect(
      core.connect(bank).openAccount(ethers.ZeroHash, alice.address, KIND.wallet, b32('r')),
    ).to.be.revertedWithCustomError(core, 'InvalidId');
    await expect(core.connect(regulator).setFrozen(b32('A'), true)).to.emit(core, 'AccountStatus');
    await expect(core.connect(regulator).setFrozen(b32('A'), true)).not.to.emit(core, 'AccountStatus');
    await core.connect(regulator).setFrozen(b32('A'), false);
    await core.connect(bank).closeAccount(b32('A'));
    await expect(core.connect(bank).closeAccount(b32('A'))).not.to.emit(core, 'AccountStatus');
    await expect(core.connect(regulator).setFrozen(b32('A'), true)).to.be.revertedWithCustomError(
      core,
      'AccountNotActive',
    );
    await expect(core.connect(oracle).mirrorWithdrawal(b32('A'), 1n, b32('off-9')))
      .to.be.revertedWithCustomError(core, 'AccountNotActive')
      .withArgs(b32('A'), 3);
    await expect(
      core.connect(oracle).mirrorDeposit(b32('A'), 1n, b32('off-9'), b32('red')),
    ).to.be.revertedWithCustomError(core, 'AccountNotActive');
  });

  it('validates amounts (1..10^18-1 fen), colors and ids; only money roles transfer; purpose and ref are part of a transfer', async () => {
    const { core, bank, oracle, alice, auditor } = await deployed();
    const max = await core.MAX_AMOUNT();
    expect(max).to.equal(10n ** 18n - 1n);
    await expect(
      core.connect(oracle).mirrorDeposit(b32('A'), max + 1n, b32('o'), b32('red')),
    ).to.be.revertedWithCustomError(core, 'InvalidAmount');
    await expect(
      core.connect(oracle).mirrorDeposit(b32('A'), 1n, b32('o'), ethers.ZeroHash),
    ).to.be.revertedWithCustomError(core, 'InvalidColor');
    await expect(
      core.connect(oracle).mirrorDeposit(b32('A'), 1n, ethers.ZeroHash, b32('red')),
    ).to.be.revertedWithCustomError(core, 'InvalidId');
    await core.connect(oracle).mirrorDeposit(b32('A'), max, b32('o'), b32('red'));
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 1n, memo);
    await expect(
      core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 1n, ethers.id('other purpose|ref')),
    ).to.be.revertedWithCustomError(core, 'IdempotencyConflict');
    await core.connect(bank).openAccount(b32('D'), auditor.address, KIND.wallet, b32('r'));
    await expect(core.connect(auditor).transfer(b32('t2'), b32('D'), b32('B'), 1n, memo)).to.be.revertedWithCustomError(
      core,
      'AnyRoleRequired',
    );
  });

  it('keeps cumulative flow edges between deposits, lots and withdrawals for tracing', async () => {
    const { core, oracle, alice, bob, bank } = await deployed();
    await core.connect(bank).openAccount(b32('C'), alice.address, KIND.wallet, b32('ref-C'));
    await core.connect(oracle).mirrorDeposit(b32('A'), 700n, b32('off-1'), b32('red'));
    await core.connect(oracle).mirrorDeposit(b32('A'), 300n, b32('off-2'), b32('blue'));
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 500n, memo);
    await core.connect(alice).transfer(b32('t2'), b32('A'), b32('B'), 300n, memo); // red 200 + blue 100
    await core.connect(alice).transfer(b32('t2'), b32('A'), b32('B'), 300n, memo); // replay: flows unchanged
    await core.connect(bob).transfer(b32('t3'), b32('B'), b32('C'), 100n, memo);
    await core.connect(oracle).mirrorWithdrawal(b32('B'), 650n, b32('off-3'));
    const edges = async (fn: 'flowsInto' | 'flowsOutOf', node: ReturnType<typeof lot>) => {
      const [peers, amounts] = await core[fn](node);
      return peers.map((p: [bigint, string, string], i: number) => `${nodeText(p)}=${amounts[i]}`);
    };
    expect(await edges('flowsInto', lot('A', 'red'))).to.deep.equal(['deposit:Org1MSP:off-1=700']);
    expect(await edges('flowsInto', lot('B', 'red'))).to.deep.equal(['lot:A:red=700']);
    expect(await edges('flowsOutOf', lot('A', 'red'))).to.deep.equal(['lot:B:red=700']);
    expect(await edges('flowsOutOf', lot('A', 'blue'))).to.deep.equal(['lot:B:blue=100']);
    expect(await edges('flowsOutOf', lot('B', 'red'))).to.deep.equal(['lot:C:red=100', 'withdrawal:Org1MSP:off-3=600']);
    expect(await edges('flowsOutOf', lot('B', 'blue'))).to.deep.equal(['withdrawal:Org1MSP:off-3=50']);
    const sink = { kind: NODE.withdrawal, a: b32('Org1MSP'), b: b32('off-3') };
    expect(await edges('flowsInto', sink)).to.deep.equal(['lot:B:red=600', 'lot:B:blue=50']);
    const deposit = { kind: NODE.deposit, a: b32('Org1MSP'), b: b32('off-1') };
    expect(await edges('flowsOutOf', deposit)).to.deep.equal(['lot:A:red=700']);
    expect(await lotsOf(core, 'B')).to.deep.equal(['blue=50']);
    expect(await lotsOf(core, 'A')).to.deep.equal(['blue=200']);
  });
});
