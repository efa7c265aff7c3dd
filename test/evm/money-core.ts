import { expect } from 'chai';
import { ethers } from 'hardhat';

const b32 = (s: string) => ethers.encodeBytes32String(s);
const ROLE = { regulator: 0, bank: 1, enterprise: 2, oracle: 6 };
const roles = (...r: number[]) => r.reduce((s, x) => s | (1n << BigInt(x)), 0n);

describe('MoneyCore (EVM)', () => {
  async function deployed() {
    const [orgAdmin, bank, oracle, alice, bob, regAdmin, regulator] = await ethers.getSigners();
    const core = await (await ethers.getContractFactory('MoneyCore')).deploy(b32('Org1MSP'));
    await core.registerMember(bank.address, roles(ROLE.bank), false);
    await core.registerMember(oracle.address, roles(ROLE.oracle), false);
    await core.registerMember(alice.address, roles(ROLE.enterprise), false);
    await core.registerMember(bob.address, roles(ROLE.enterprise), false);
    await core.admitOrg(regAdmin.address, b32('Org2MSP'));
    await core.connect(regAdmin).registerMember(regulator.address, roles(ROLE.regulator), false);
    await core.connect(bank).openAccount(b32('A'), alice.address);
    await core.connect(bank).openAccount(b32('B'), bob.address);
    return { core, bank, oracle, alice, bob, regulator, orgAdmin };
  }

  it('mirrors deposits once and moves colored lots FIFO, conserving money', async () => {
    const { core, oracle, alice, bob } = await deployed();
    await core.connect(oracle).mirrorDeposit(b32('A'), 700n, b32('off-1'), b32('red'));
    await core.connect(oracle).mirrorDeposit(b32('A'), 700n, b32('off-1'), b32('red')); // replay: no-op
    await core.connect(oracle).mirrorDeposit(b32('A'), 300n, b32('off-2'), b32('blue'));
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 800n);
    await core.connect(alice).transfer(b32('t1'), b32('A'), b32('B'), 800n); // replay: no-op
    const [colors, amounts] = await core.lotsOf(b32('B'));
    expect(colors.map((c: string) => ethers.decodeBytes32String(c))).to.deep.equal(['red', 'blue']);
    expect(amounts).to.deep.equal([700n, 100n]);
    expect((await core.balanceOf(b32('A'), b32('blue'))).total).to.equal(200n);
    await core.connect(oracle).mirrorWithdrawal(b32('B'), 750n, b32('off-3'));
    const total = (await core.balanceOf(b32('A'), b32('x'))).total + (await core.balanceOf(b32('B'), b32('x'))).total;
    expect(total).to.equal((await core.totalDeposits()) - (await core.totalWithdrawals()));
    await expect(core.connect(bob).transfer(b32('t2'), b32('A'), b32('B'), 1n)).to.be.revertedWithCustomError(
      core,
      'NotAccountOwner',
    );
  });

  it('re-checks roles, status, funds and idempotency', async () => {
    const { core, oracle, alice, regulator, bank } = await deployed();
    await expect(core.connect(alice).openAccount(b32('C'), alice.address)).to.be.revertedWithCustomError(
      core,
      'RoleRequired',
    );
    await expect(core.connect(alice).mirrorDeposit(b32('A'), 1n, b32('x'), b32('c'))).to.be.revertedWithCustomError(
      core,
      'RoleRequired',
    );
    await core.connect(oracle).mirrorDeposit(b32('A'), 5n, b32('off-1'), b32('red'));
    await expect(
      core.connect(oracle).mirrorDeposit(b32('A'), 6n, b32('off-1'), b32('red')),
    ).to.be.revertedWithCustomError(core, 'IdempotencyConflict');
    await expect(core.connect(alice).transfer(b32('t'), b32('A'), b32('B'), 6n)).to.be.revertedWithCustomError(
      core,
      'InsufficientFunds',
    );
    await expect(core.connect(alice).transfer(b32('t0'), b32('A'), b32('B'), 0n)).to.be.revertedWithCustomError(
      core,
      'InvalidAmount',
    );
    await core.connect(regulator).setFrozen(b32('A'), true);
    await expect(core.connect(alice).transfer(b32('t3'), b32('A'), b32('B'), 1n)).to.be.revertedWithCustomError(
      core,
      'AccountNotActive',
    );
    await expect(core.connect(bank).closeAccount(b32('B'))).not.to.be.reverted;
    await expect(core.connect(bank).closeAccount(b32('A'))).to.be.revertedWithCustomError(core, 'BalanceNotZero');
  });
});
