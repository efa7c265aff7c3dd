-- Accounts and the journal of movements. Text keys use the C collation so ORDER BY matches
-- the byte order reconciliation merges in (and LevelDB's key order).
CREATE TABLE book_accounts (
  id            text COLLATE "C" PRIMARY KEY,
  system        text NOT NULL CHECK (system IN ('bank', 'ecny')),
  holder        text NOT NULL,
  balance       bigint NOT NULL DEFAULT 0,
  chain_account text,
  color         text,
  tier          int CHECK (tier BETWEEN 1 AND 4),
  opened        timestamptz NOT NULL
);

-- One row: the journal sequence. Every posting locks it first, so sequence order = commit order.
CREATE TABLE book_seq (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL);
INSERT INTO book_seq VALUES (1, 0);

CREATE TABLE book_postings (
  ref  text COLLATE "C" PRIMARY KEY,
  body jsonb NOT NULL
);

CREATE TABLE book_journal (
  seq           bigint PRIMARY KEY,
  account       text COLLATE "C" NOT NULL REFERENCES book_accounts (id),
  direction     text NOT NULL CHECK (direction IN ('debit', 'credit')),
  amount        bigint NOT NULL CHECK (amount > 0),
  counterparty  text NOT NULL,
  time          timestamptz NOT NULL,
  ref           text NOT NULL,
  off_tx_id     text COLLATE "C" NOT NULL,
  chain_account text,
  color         text
);
CREATE INDEX book_journal_account_tx ON book_journal (account, off_tx_id, seq);
CREATE INDEX book_journal_off_tx ON book_journal (off_tx_id);

-- Durable oracle state: checkpoints, reconciliation cases, payout records.
CREATE TABLE oracle_meta (
  key   text COLLATE "C" PRIMARY KEY,
  value jsonb NOT NULL
);
