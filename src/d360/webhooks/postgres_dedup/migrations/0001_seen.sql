-- Seen webhook events, for de-duplication shared by receivers on several machines. Applied by d360 itself
-- (d360.webhooks.postgres_dedup), in the schema the URL names (?schema=, default d360_webhooks), inside one
-- transaction under an advisory lock.

-- One row per event's dedup_key; seen_at is the database's clock, so receivers whose clocks differ agree on
-- when a key expires.
CREATE TABLE seen (
    key     text PRIMARY KEY,
    seen_at timestamptz NOT NULL
);
CREATE INDEX seen_by_age ON seen (seen_at);
