-- Who originated a journal line: 'books' (the bank's own posting, mirrored to the chain by
-- offTxId) or 'chain' (the bank executed an on-chain payout instruction; ref = instructionId).
-- Chain-originated lines never enter the mirror outbox: the chain already moved that money.
ALTER TABLE book_journal ADD COLUMN origin text NOT NULL DEFAULT 'books' CHECK (origin IN ('books', 'chain'));
CREATE INDEX book_journal_chain_ref ON book_journal (ref) WHERE origin = 'chain';
