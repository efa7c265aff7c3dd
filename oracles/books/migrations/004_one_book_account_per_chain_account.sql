-- One book account per chain account (oracles/books/rules.ts checkChainAccountFree): the mirror
-- carries a book account's movements to its chain account, so two book accounts on one chain
-- account would move money the other holds. Fails on books that already have such a pair: an
-- operator must close one of them first.
CREATE UNIQUE INDEX book_accounts_chain_account ON book_accounts (chain_account) WHERE chain_account IS NOT NULL;
