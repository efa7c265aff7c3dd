import { expect } from 'chai';
import { ethers } from 'hardhat';

const chainId = ethers.id('lianjian-embedded:test');
const otherChain = ethers.id('lianjian-embedded:other');
const hash = (label: string): string => ethers.id(label);

describe('Witness (EVM)', () => {
  async function deployed() {
    const [owner, anchorer, stranger, nextOwner] = await ethers.getSigners();
    const witness = await (await ethers.getContractFactory('Witness')).deploy(owner.address);
    await witness.setAnchorer(chainId, anchorer.address, true);
    return { witness, owner, anchorer, stranger, nextOwner };
  }

  it('lets only the owner manage anchorers, per source chain', async () => {
    const { witness, anchorer, stranger } = await deployed();
    expect(await witness.isAnchorer(chainId, anchorer.address)).to.equal(true);
    expect(await witness.isAnchorer(otherChain, anchorer.address)).to.equal(false);
    await expect(witness.connect(stranger).setAnchorer(chainId, stranger.address, true))
      .to.be.revertedWithCustomError(witness, 'OwnableUnauthorizedAccount')
      .withArgs(stranger.address);
    await expect(witness.connect(stranger).anchorBlock(chainId, 1, hash('b1')))
      .to.be.revertedWithCustomError(witness, 'NotAnchorer')
      .withArgs(chainId, stranger.address);
    await expect(witness.connect(anchorer).anchorBlock(otherChain, 1, hash('b1'))).to.be.revertedWithCustomError(
      witness,
      'NotAnchorer',
    );
    await expect(witness.setAnchorer(chainId, anchorer.address, false))
      .to.emit(witness, 'AnchorerSet')
      .withArgs(chainId, anchorer.address, false);
    await expect(witness.connect(anchorer).anchorBlock(chainId, 1, hash('b1'))).to.be.revertedWithCustomError(
      witness,
      'NotAnchorer',
    );
  });

  it('anchors block hashes forward only, idempotent for the same hash, never rewritten', async () => {
    const { witness, anchorer } = await deployed();
    const asAnchorer = witness.connect(anchorer);
    expect(await witness.latestHeight(chainId)).to.deep.equal([0n, false]);
    await expect(asAnchorer.anchorBlock(chainId, 0, hash('genesis')))
      .to.emit(witness, 'BlockAnchored')
      .withArgs(chainId, 0, hash('genesis'), anchorer.address);
    expect(await witness.latestHeight(chainId)).to.deep.equal([0n, true]);
    await asAnchorer.anchorBlock(chainId, 10, hash('b10'));
    await expect(asAnchorer.anchorBlock(chainId, 10, hash('b10'))).not.to.emit(witness, 'BlockAnchored');
    expect(await asAnchorer.anchorBlock.staticCall(chainId, 10, hash('b10'))).to.equal(false);
    expect(await asAnchorer.anchorBlock.staticCall(chainId, 11, hash('b11'))).to.equal(true);
    await expect(asAnchorer.anchorBlock(chainId, 10, hash('edited')))
      .to.be.revertedWithCustomError(witness, 'BlockConflict')
      .withArgs(chainId, 10, hash('b10'), hash('edited'));
    await expect(asAnchorer.anchorBlock(chainId, 5, hash('b5')))
      .to.be.revertedWithCustomError(witness, 'HeightNotAfterLatest')
      .withArgs(chainId, 5, 10);
    await expect(asAnchorer.anchorBlock(chainId, 12, ethers.ZeroHash)).to.be.revertedWithCustomError(
      witness,
      'ZeroValue',
    );
    const [anchoredHash, time] = await witness.blockAnchor(chainId, 10);
    expect(anchoredHash).to.equal(hash('b10'));
    expect(time).to.be.greaterThan(0n);
    expect((await witness.blockAnchor(chainId, 7)).blockHash).to.equal(ethers.ZeroHash);
    expect(await witness.latestHeight(chainId)).to.deep.equal([10n, true]);
    expect(await witness.latestHeight(otherChain)).to.deep.equal([0n, false]);
  });

  it('pages through block anchors in height order', async () => {
    const { witness, anchorer } = await deployed();
    for (const height of [3, 7, 9, 20])
      await witness.connect(anchorer).anchorBlock(chainId, height, hash(`b${height}`));
    expect((await witness.anchorCounts(chainId)).blocks).to.equal(4n);
    const first = await witness.blockAnchors(chainId, 0, 3);
    expect(first.heights).to.deep.equal([3n, 7n, 9n]);
    expect(first.hashes).to.deep.equal([hash('b3'), hash('b7'), hash('b9')]);
    const rest = await witness.blockAnchors(chainId, 3, 3);
    expect(rest.heights).to.deep.equal([20n]);
    expect((await witness.blockAnchors(chainId, 9, 3)).heights).to.deep.equal([]);
  });

  it('anchors each reconciliation root of a day once, days never going back', async () => {
    const { witness, anchorer } = await deployed();
    const asAnchorer = witness.connect(anchorer);
    await expect(asAnchorer.anchorRoot(chainId, 20250301, hash('r1')))
      .to.emit(witness, 'RootAnchored')
      .withArgs(chainId, 20250301, hash('r1'), anchorer.address);
    await expect(asAnchorer.anchorRoot(chainId, 20250301, hash('r1'))).not.to.emit(witness, 'RootAnchored');
    await expect(asAnchorer.anchorRoot(chainId, 20250301, hash('r2'))).to.emit(witness, 'RootAnchored');
    await asAnchorer.anchorRoot(chainId, 20250303, hash('r3'));
    await expect(asAnchorer.anchorRoot(chainId, 20250302, hash('r4')))
      .to.be.revertedWithCustomError(witness, 'DayBeforeLatest')
      .withArgs(chainId, 20250302, 20250303);
    for (const bad of [20251301, 20250100, 19691231, 2025031])
      await expect(asAnchorer.anchorRoot(chainId, bad, hash('x')))
        .to.be.revertedWithCustomError(witness, 'InvalidDay')
        .withArgs(bad);
    expect(await witness.rootAnchor(chainId, 20250301, hash('r1'))).to.be.greaterThan(0n);
    expect(await witness.rootAnchor(chainId, 20250301, hash('r3'))).to.equal(0n);
    expect(await witness.latestDay(chainId)).to.deep.equal([20250303n, true]);
    expect(await witness.anchorCounts(chainId)).to.deep.equal([0n, 3n]);
  });

  it('hands ownership over in two steps; anchors stay out of the owner’s reach', async () => {
    const { witness, anchorer, nextOwner } = await deployed();
    await witness.connect(anchorer).anchorBlock(chainId, 1, hash('b1'));
    await witness.transferOwnership(nextOwner.address);
    expect(await witness.owner()).not.to.equal(nextOwner.address);
    await witness.connect(nextOwner).acceptOwnership();
    expect(await witness.owner()).to.equal(nextOwner.address);
    await witness.connect(nextOwner).setAnchorer(chainId, nextOwner.address, true);
    await expect(witness.connect(nextOwner).anchorBlock(chainId, 1, hash('forged'))).to.be.revertedWithCustomError(
      witness,
      'BlockConflict',
    );
  });
});
