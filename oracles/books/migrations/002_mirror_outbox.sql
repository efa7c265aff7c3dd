-- Transactional outbox of movements on mirrored accounts: written in the posting's own
-- transaction, read by the mirror oracle above its sequence watermark, woken by NOTIFY.
CREATE TABLE mirror_outbox (
  seq  bigint PRIMARY KEY REFERENCES book_journal (seq) ON DELETE CASCADE,
  body jsonb NOT NULL
);

CREATE FUNCTION mirror_outbox_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('lianjian_outbox', NEW.seq::text);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER mirror_outbox_notify AFTER INSERT ON mirror_outbox
  FOR EACH ROW EXECUTE FUNCTION mirror_outbox_notify();
