-- One rate and one pause per sending number, not per campaign: upstream limits a phone number (80 or 1,000
-- messages a second; 130429 when over) and throttles an API key (429), so two campaigns sent from one
-- number share one bucket. A bucket's key is derived from the number's API key and base URL (a hash: the
-- key itself is never stored). `paused_until`: a throttling answer seen by any worker holds every worker of
-- every campaign on that bucket until then (the database's clock).
CREATE TABLE rate_buckets (
    key          text PRIMARY KEY,
    next_free    double precision NOT NULL DEFAULT 0,
    paused_until double precision NOT NULL DEFAULT 0
);
-- Replaced by rate_buckets (a campaign's slots were only ever a run's: nothing to carry over).
DROP TABLE rate_limits;

-- A pair rate limit (131056: too many messages to one user) puts only that line back, to be claimed again
-- no sooner than `not_before`, a wait that grows with each one (`pair_limits`): upstream provably did not
-- accept it, and the campaign's other lines keep going.
ALTER TABLE lines ADD COLUMN not_before double precision;
ALTER TABLE lines ADD COLUMN pair_limits integer NOT NULL DEFAULT 0;

-- The worker that marked a line sending last: a report says who sent each line (a claim ends with the line).
ALTER TABLE lines ADD COLUMN sent_by bigint;
