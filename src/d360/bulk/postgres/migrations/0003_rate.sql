-- One rate for a campaign, however many workers send it: a GCRA kept in the database, on its clock.
-- `next_free` is when the campaign's next message may leave; a worker takes a slot for each line of a
-- batch it claims (one update per batch, never one per message), and sends each at its slot.

CREATE TABLE rate_limits (
    campaign_id text PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    next_free   double precision NOT NULL
);
