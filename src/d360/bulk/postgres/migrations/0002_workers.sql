-- Many senders, one campaign. Each line keeps its message (a worker needs no copy of the input) and the
-- worker that claimed it; each worker (one `d360 bulk` process) has a row, and holds a session-level
-- advisory lock on its id for as long as it lives: a worker whose lock is free is dead.

ALTER TABLE lines ADD COLUMN message text;
ALTER TABLE lines ADD COLUMN claimed_by bigint;

-- What a worker claims next: lines to send that nobody holds, in line order.
CREATE INDEX lines_to_claim ON lines (campaign_id, line_number)
    WHERE claimed_by IS NULL AND state IN ('pending', 'unknown') AND delivery IS NULL;
-- A worker's lines, found when it ends or dies (claims on lines that reached an outcome are dropped).
CREATE INDEX lines_by_worker ON lines (claimed_by) WHERE claimed_by IS NOT NULL;

CREATE TABLE workers (
    id           bigserial PRIMARY KEY,
    campaign_id  text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    host         text NOT NULL,
    pid          integer NOT NULL,
    backend_pid  integer NOT NULL,
    started_at   double precision NOT NULL,
    heartbeat_at double precision NOT NULL,
    lines_sent   bigint NOT NULL DEFAULT 0,
    ended_at     double precision,
    ended        text CHECK (ended IN ('finished', 'died'))
);
CREATE INDEX workers_of_campaign ON workers (campaign_id) WHERE ended_at IS NULL;
