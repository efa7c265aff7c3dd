import { expect } from 'chai';
import { eachBackend } from './support';

eachBackend('books: waiting for the outbox', (fx) => {
  it('keeps waiting while only unmirrored accounts moved (no busy loop for the mirror)', async () => {
    const books = fx().books;
    await books.openAccount({ id: 'plain', holder: 'a customer' });
    await books.deposit({ ref: 'd1', account: 'plain', amount: '100' });
    const t0 = Date.now();
    await books.waitForOutbox(0n, 300);
    expect(Date.now() - t0).to.be.at.least(250);
  });

  it('returns at once when the outbox holds a line past the checkpoint, and wakes on a new one', async () => {
    const books = fx().books;
    await books.openAccount({ id: 'sup', holder: 'supervised', chainAccount: 'c-sup' });
    const t0 = Date.now();
    const waiting = books.waitForOutbox(0n, 5000);
    await books.deposit({ ref: 'd2', account: 'sup', amount: '100' });
    await waiting;
    expect(Date.now() - t0).to.be.below(2000);
    const t1 = Date.now();
    await books.waitForOutbox(0n, 5000);
    expect(Date.now() - t1).to.be.below(500);
  });
});
