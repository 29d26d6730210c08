-- Every statement the PostgreSQL journal runs, by name (loaded by d360.bulk.postgres.queries.load_queries).
-- Values are always parameters (%(name)s); the schema is chosen by the connection's search_path, never
-- written into a statement. Times come from the database's clock (journal_now()).

-- name: lock_migrations
-- Held until the migrating transaction ends: processes starting at once migrate one after the other.
SELECT pg_advisory_xact_lock(hashtextextended('d360 migrations ' || %(schema)s, 0))

-- name: create_schema
CREATE SCHEMA IF NOT EXISTS {schema}

-- name: use_schema
SELECT set_config('search_path', quote_ident(%(schema)s), %(local)s)

-- name: schema_exists
SELECT to_regclass(quote_ident(%(schema)s) || '.migrations') IS NOT NULL

-- name: create_migrations_table
CREATE TABLE IF NOT EXISTS migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)

-- name: applied_migrations
SELECT version FROM migrations ORDER BY version

-- name: record_migration
INSERT INTO migrations (version, name) VALUES (%(version)s, %(name)s)

-- name: now
SELECT journal_now()

-- name: lock_fill
-- Held until the filling transaction ends: two first runs of one campaign fill it once.
SELECT pg_advisory_xact_lock(hashtextextended('d360 fill ' || current_schema(), 0))

-- name: register_worker
INSERT INTO workers (campaign_id, host, pid, backend_pid, started_at, heartbeat_at)
VALUES (%(campaign)s, %(host)s, %(pid)s, pg_backend_pid(), journal_now(), journal_now())
RETURNING id

-- name: lock_worker
-- Session-level, taken in the transaction that makes the worker's row: no other session ever sees the row
-- without its lock held. The server releases it when the worker's connection ends, however it ends.
SELECT pg_advisory_lock(hashtextextended('d360 worker ' || current_schema() || ' ' || %(worker)s::text, 0))

-- name: try_lock_worker
-- Free: the worker is dead (its connection ended). Held by the caller until unlock_worker.
SELECT pg_try_advisory_lock(hashtextextended('d360 worker ' || current_schema() || ' ' || %(worker)s::text, 0))

-- name: unlock_worker
SELECT pg_advisory_unlock(hashtextextended('d360 worker ' || current_schema() || ' ' || %(worker)s::text, 0))

-- name: other_workers
SELECT id FROM workers WHERE campaign_id = %(campaign)s AND ended_at IS NULL AND id <> %(worker)s ORDER BY id

-- name: worker_in_flight_unknown
-- A worker ended or died: its lines in flight may have been delivered (accepted if a status said so).
UPDATE lines
SET state = CASE WHEN delivery IS NULL THEN 'unknown' ELSE 'accepted' END,
    error = CASE WHEN delivery IS NULL THEN %(error)s ELSE NULL END, updated_at = journal_now()
WHERE claimed_by = %(worker)s AND state = 'sending'

-- name: release_claims
UPDATE lines SET claimed_by = NULL WHERE claimed_by = %(worker)s

-- name: release_unsent_claims
-- A worker that ends keeps its lines still sending (their outcomes were not recorded): the next run marks
-- them unknown, as with the SQLite journal.
UPDATE lines SET claimed_by = NULL WHERE claimed_by = %(worker)s AND state <> 'sending'

-- name: end_worker
UPDATE workers SET ended_at = journal_now(), ended = %(ended)s, heartbeat_at = journal_now()
WHERE id = %(worker)s AND ended_at IS NULL

-- name: worker_heartbeat
UPDATE workers SET heartbeat_at = journal_now(), lines_sent = lines_sent + %(sent)s WHERE id = %(worker)s

-- name: claim_lines
-- A batch of lines to send, for this worker alone: rows another worker is claiming at this moment are
-- skipped, not waited for. The row locks end with this short transaction: none is held across a request.
-- A CTE, evaluated once: a subquery the planner may scan again would claim more than the limit.
WITH free AS MATERIALIZED (
    SELECT line_number FROM lines
    WHERE campaign_id = %(campaign)s AND state = ANY (%(states)s::text[]) AND delivery IS NULL
      AND claimed_by IS NULL AND (not_before IS NULL OR not_before <= journal_now())
    ORDER BY line_number LIMIT %(limit)s FOR UPDATE SKIP LOCKED
)
UPDATE lines AS l SET claimed_by = %(worker)s
FROM free
WHERE l.campaign_id = %(campaign)s AND l.line_number = free.line_number
RETURNING l.line_number, l.content_hash, l.attempts, l.message

-- name: claim_and_mark
-- claim_lines, with each line marked `sending` in the same statement, so committed before it is handed
-- out: a batch costs one round trip, where marking each line as it leaves cost a commit per few lines.
-- Nothing is marked while the bucket is paused (the lines are claimed, and marked one by one after the
-- pause). Returns each line's attempts before this mark, and whether it was marked.
WITH pause AS (
    SELECT COALESCE((SELECT paused_until - journal_now() FROM rate_buckets
                     WHERE key = %(bucket)s AND paused_until > journal_now()), 0) AS left_
), free AS MATERIALIZED (
    SELECT line_number FROM lines
    WHERE campaign_id = %(campaign)s AND state = ANY (%(states)s::text[]) AND delivery IS NULL
      AND claimed_by IS NULL AND (not_before IS NULL OR not_before <= journal_now())
    ORDER BY line_number LIMIT %(limit)s FOR UPDATE SKIP LOCKED
)
UPDATE lines AS l
SET claimed_by = %(worker)s,
    state = CASE WHEN pause.left_ = 0 THEN 'sending' ELSE l.state END,
    attempts = l.attempts + CASE WHEN pause.left_ = 0 THEN 1 ELSE 0 END,
    updated_at = CASE WHEN pause.left_ = 0 THEN journal_now() ELSE l.updated_at END,
    sent_at = CASE WHEN pause.left_ = 0 THEN journal_now() ELSE l.sent_at END,
    sent_by = CASE WHEN pause.left_ = 0 THEN %(worker)s ELSE l.sent_by END,
    -- A line that brings its own biz_opaque_callback_data is found by its message id (see _with_token).
    match_by_id = CASE WHEN pause.left_ = 0
                       THEN CASE WHEN COALESCE(l.message::jsonb ? 'biz_opaque_callback_data', false) THEN 1 ELSE 0 END
                       ELSE l.match_by_id END
FROM free, pause
WHERE l.campaign_id = %(campaign)s AND l.line_number = free.line_number
RETURNING l.line_number, l.content_hash,
          l.attempts - CASE WHEN pause.left_ = 0 THEN 1 ELSE 0 END, l.message, pause.left_ = 0

-- name: reserve_slots
-- `count` slots at `rate` a second from the bucket (a sending number's): the first at the latest of now, the
-- bucket's next free slot and the end of its pause. Returns the first slot and now, on the database's clock.
INSERT INTO rate_buckets AS r (key, next_free)
VALUES (%(bucket)s, journal_now() + %(count)s::float8 / %(rate)s::float8)
ON CONFLICT (key) DO UPDATE
SET next_free = GREATEST(r.next_free, r.paused_until, journal_now()) + %(count)s::float8 / %(rate)s::float8
RETURNING next_free - %(count)s::float8 / %(rate)s::float8, journal_now()

-- name: pause_bucket
-- A throttling answer: every worker sending on the bucket holds until `seconds` from now (a pause under way
-- is extended, never shortened). Returns the seconds left.
INSERT INTO rate_buckets AS r (key, paused_until)
VALUES (%(bucket)s, journal_now() + %(seconds)s::float8)
ON CONFLICT (key) DO UPDATE SET paused_until = GREATEST(r.paused_until, journal_now() + %(seconds)s::float8)
RETURNING paused_until - journal_now()

-- name: bucket_paused_for
SELECT GREATEST(paused_until - journal_now(), 0) FROM rate_buckets WHERE key = %(bucket)s

-- name: held_by_others
-- Lines to send that live workers other than this one hold: their work, unless they die.
SELECT count(*) FROM lines l JOIN workers w ON w.id = l.claimed_by
WHERE l.campaign_id = %(campaign)s AND w.ended_at IS NULL AND w.id <> %(worker)s
  AND l.state = ANY (%(states)s::text[]) AND l.delivery IS NULL

-- name: waiting_for_their_time
-- Lines to send that wait out a pair rate limit (not_before): a worker stays for them.
SELECT count(*) FROM lines
WHERE campaign_id = %(campaign)s AND state = ANY (%(states)s::text[]) AND delivery IS NULL
  AND claimed_by IS NULL AND not_before > journal_now()

-- name: workers
SELECT id, host, pid, started_at, heartbeat_at, lines_sent, ended FROM workers
WHERE campaign_id = %(campaign)s ORDER BY id

-- name: campaign
SELECT id, input_fingerprint, input, schema_version, created_at FROM campaigns WHERE id = %(campaign)s

-- name: campaign_by_fingerprint
SELECT id, input_fingerprint, input, schema_version, created_at FROM campaigns
WHERE input_fingerprint = %(fingerprint)s ORDER BY created_at DESC LIMIT 1

-- name: campaigns
SELECT id, input, created_at FROM campaigns ORDER BY created_at, id

-- name: insert_campaign
INSERT INTO campaigns (id, input_fingerprint, input, schema_version, created_at)
VALUES (%(campaign)s, %(fingerprint)s, %(input)s, %(schema_version)s, %(now)s)

-- name: copy_lines
COPY lines (campaign_id, line_number, content_hash, state, error, created_at, updated_at, message) FROM STDIN

-- name: analyze_lines
-- After a fill: the planner learns how many lines a campaign has. Without it (autovacuum comes a minute
-- later, at best), it guesses a few, and scans the whole campaign's lines for each commit of a worker.
ANALYZE lines

-- name: recover_interrupted
-- Lines left sending by a worker that ended (or by no worker): those of a live worker are its own.
UPDATE lines SET state = 'unknown', error = %(error)s, updated_at = journal_now()
WHERE campaign_id = %(campaign)s AND state = 'sending'
  AND (claimed_by IS NULL OR claimed_by IN (SELECT id FROM workers WHERE ended_at IS NOT NULL))

-- name: settle_by_status
UPDATE lines SET state = 'accepted', error = NULL, updated_at = journal_now()
WHERE campaign_id = %(campaign)s AND state IN ('sending', 'unknown') AND delivery IS NOT NULL

-- name: apply_lines
-- A group commit of a worker, one statement (so one round trip, and atomic on its own): lines marked
-- `sending` before their requests leave, and outcomes. At most one operation per line (two updates of one
-- row in one statement would not both take effect). Returns the lines marked sending, each with the seconds
-- left of the bucket's pause (one row with no line when none was marked).
-- Marking: nothing is marked while the bucket is paused (a throttling answer seen by any worker: the lines
-- wait and are marked again after it); a line a status has spoken for is refused (delivery IS NOT NULL):
-- upstream took it; so is a line another worker holds. An outcome: a line a status webhook already spoke
-- for stays accepted; a final outcome drops the worker's claim; a pair rate limit (131056) drops it too,
-- with a `not_before` that doubles each time (6 s, 12 s, ... at most 5 minutes), for any worker to take.
-- A line marked again (`again`: marked by its claim, held by a pause, never sent) counts no new attempt;
-- a line handed back unsent (`unsent`: marked by its claim, never sent, the run stopping) counts its mark off.
-- Each update finds its rows by `line_number = ANY (...)` on the primary key, besides the join with its
-- unnest: with the join alone, a plan made on stale statistics (a campaign just filled, or a generic plan
-- that guesses a few rows per campaign) scanned the whole campaign once per line of the batch (measured:
-- half a second per commit of 32 lines on a 20,000-line campaign).
WITH pause AS (
    SELECT COALESCE((SELECT paused_until - journal_now() FROM rate_buckets
                     WHERE key = %(bucket)s AND paused_until > journal_now()), 0) AS left_
), marked AS (
    UPDATE lines AS l
    SET state = 'sending', attempts = l.attempts + 1 - u.again, updated_at = journal_now(), sent_at = journal_now(),
        match_by_id = u.own_data, claimed_by = %(worker)s, sent_by = %(worker)s
    FROM unnest(%(sending)s::integer[], %(own_data)s::smallint[], %(again)s::smallint[])
         AS u (line_number, own_data, again), pause
    WHERE l.campaign_id = %(campaign)s AND l.line_number = ANY (%(sending)s::integer[])
      AND l.line_number = u.line_number AND l.delivery IS NULL
      AND (l.claimed_by = %(worker)s OR l.claimed_by IS NULL) AND pause.left_ = 0
    RETURNING l.line_number
), finished AS (
    UPDATE lines AS l
    SET state = CASE WHEN l.delivery IS NULL THEN u.state ELSE 'accepted' END,
        message_id = COALESCE(u.message_id, l.message_id),
        error = CASE WHEN l.delivery IS NULL THEN u.error ELSE NULL END,
        match_by_id = COALESCE(u.match_by_id, l.match_by_id),
        updated_at = journal_now(),
        claimed_by = CASE WHEN l.delivery IS NULL AND u.state IN ('pending', 'unknown') AND u.pair_limited = 0
                          THEN l.claimed_by END,
        not_before = CASE WHEN u.pair_limited = 1 AND l.delivery IS NULL
                          THEN journal_now() + LEAST(6 * 2 ^ LEAST(l.pair_limits, 10), 300) END,
        pair_limits = l.pair_limits + u.pair_limited,
        attempts = l.attempts - u.unsent
    FROM unnest(%(finished)s::integer[], %(states)s::text[], %(message_ids)s::text[], %(errors)s::text[],
                %(match_by_id)s::smallint[], %(pair_limited)s::smallint[], %(unsent)s::smallint[])
         AS u (line_number, state, message_id, error, match_by_id, pair_limited, unsent)
    WHERE l.campaign_id = %(campaign)s AND l.line_number = ANY (%(finished)s::integer[])
      AND l.line_number = u.line_number
    RETURNING l.line_number
)
SELECT marked.line_number, pause.left_ FROM pause LEFT JOIN marked ON true

-- name: spoken_for
SELECT line_number FROM lines
WHERE campaign_id = %(campaign)s AND line_number = ANY (%(line_numbers)s::integer[]) AND delivery IS NOT NULL

-- name: has_status
SELECT delivery IS NOT NULL FROM lines WHERE campaign_id = %(campaign)s AND line_number = %(line_number)s

-- name: line_by_message_id
SELECT line_number FROM lines
WHERE campaign_id = %(campaign)s AND message_id = %(message_id)s AND match_by_id = 1 LIMIT 1

-- name: line_by_message_id_any_campaign
-- A listener of the whole database: the line of any campaign that brought its own data.
SELECT campaign_id, line_number FROM lines WHERE message_id = %(message_id)s AND match_by_id = 1 LIMIT 1

-- name: line_exists
SELECT EXISTS (SELECT 1 FROM lines WHERE campaign_id = %(campaign)s AND line_number = %(line_number)s)

-- name: record_status
-- A status webhook on its line: accepted, and its delivery moved forward only (sent < delivered < read < failed).
UPDATE lines
SET state = 'accepted', error = CASE WHEN state = 'accepted' THEN error ELSE NULL END,
    message_id = COALESCE(message_id, %(message_id)s::text), delivery = %(status)s::text,
    delivery_code = %(code)s::integer, delivery_error = %(error)s::text, delivery_at = %(received_at)s::float8,
    first_status_at = COALESCE(first_status_at, %(received_at)s::float8),
    first_status_session = CASE WHEN first_status_at IS NULL THEN %(session)s::bigint ELSE first_status_session END,
    updated_at = journal_now()
WHERE campaign_id = %(campaign)s AND line_number = %(line_number)s
  AND COALESCE(CASE delivery WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 END, 0)
      < %(rank)s::integer

-- name: keep_waiting
INSERT INTO waiting_statuses (message_id, status, code, error, received_at, session)
VALUES (%(message_id)s, %(status)s, %(code)s::integer, %(error)s::text, %(received_at)s::float8, %(session)s::bigint)
RETURNING id

-- name: trim_waiting
-- A listener hears the number's other traffic too, which no line will ever match: the newest few are kept.
DELETE FROM waiting_statuses WHERE id <= %(below)s

-- name: waiting_for_campaign
SELECT w.id, l.line_number, w.message_id, w.status, w.code, w.error, w.received_at, w.session
FROM waiting_statuses w JOIN lines l ON l.message_id = w.message_id AND l.match_by_id = 1
WHERE l.campaign_id = %(campaign)s ORDER BY w.id

-- name: forget_waiting
DELETE FROM waiting_statuses WHERE id = %(id)s

-- name: count_waiting
SELECT count(*) FROM waiting_statuses

-- name: begin_session
INSERT INTO listener_sessions (started_at, alive_at)
VALUES (COALESCE(%(started_at)s::float8, %(now)s::float8), GREATEST(COALESCE(%(started_at)s::float8, %(now)s::float8), %(now)s::float8))
RETURNING id

-- name: session_alive
UPDATE listener_sessions SET alive_at = GREATEST(alive_at, %(now)s::float8) WHERE id = %(session)s

-- name: evidence_windows
-- Per listener session: when it started, the first arrival it recorded, the latest send among the lines
-- whose first status it recorded while up, and when the last of those arrived (see the SQLite journal's
-- Journal.resend_unknown_with_evidence, which this follows).
SELECT s.id, s.started_at, min(coalesce(l.first_status_at, l.delivery_at)),
       max(CASE WHEN coalesce(l.first_status_at, l.delivery_at) <= s.alive_at THEN l.sent_at END),
       max(CASE WHEN coalesce(l.first_status_at, l.delivery_at) <= s.alive_at
                THEN coalesce(l.first_status_at, l.delivery_at) END)
FROM listener_sessions s JOIN lines l ON l.first_status_session = s.id
WHERE l.campaign_id = %(campaign)s AND l.delivery IS NOT NULL
GROUP BY s.id, s.started_at ORDER BY s.id

-- name: resend_in_window
UPDATE lines SET state = 'pending', error = %(error)s, updated_at = journal_now()
WHERE campaign_id = %(campaign)s AND state = 'unknown' AND delivery IS NULL AND match_by_id = 0
  AND sent_at >= %(started_at)s::float8 AND sent_at > %(first_arrival)s::float8 AND sent_at <= %(last_sent)s::float8
  AND NOT EXISTS (
      SELECT 1 FROM listener_sessions s, listener_sessions t
      WHERE s.id = %(session)s AND t.id <> s.id AND t.started_at <= s.alive_at AND t.alive_at >= s.started_at
        AND t.started_at <= %(last_arrival)s::float8)

-- name: unknown_no_status_can_settle
SELECT count(*) FROM lines
WHERE campaign_id = %(campaign)s AND state = 'unknown' AND match_by_id = 1 AND message_id IS NULL

-- name: unknown_without_token
SELECT count(*) FROM lines WHERE campaign_id = %(campaign)s AND state = 'unknown' AND coalesce(match_by_id, 1) <> 0

-- name: statuses_recorded
SELECT EXISTS (SELECT 1 FROM lines WHERE campaign_id = %(campaign)s AND delivery IS NOT NULL)

-- name: lines_in
SELECT line_number, content_hash, attempts FROM lines
WHERE campaign_id = %(campaign)s AND state = ANY (%(states)s::text[]) AND delivery IS NULL AND line_number > %(after)s
ORDER BY line_number LIMIT %(page_size)s

-- name: counts
SELECT state, count(*) FROM lines WHERE campaign_id = %(campaign)s GROUP BY state

-- name: records
-- Each line with the worker that sent it last (none for a line never sent).
SELECT l.line_number, l.content_hash, l.state, l.message_id, l.error, l.attempts, l.created_at, l.updated_at,
       l.delivery, l.delivery_code, l.delivery_error, w.id, w.host, w.pid
FROM lines l LEFT JOIN workers w ON w.id = l.sent_by
WHERE l.campaign_id = %(campaign)s AND l.state = ANY (%(states)s::text[]) ORDER BY l.line_number

-- name: delivery_counts
SELECT coalesce(delivery, 'no status'), count(*) FROM lines
WHERE campaign_id = %(campaign)s AND state = 'accepted' GROUP BY 1

-- name: delivery_failures
SELECT delivery_code, min(delivery_error), count(*) FROM lines
WHERE campaign_id = %(campaign)s AND delivery = 'failed' GROUP BY delivery_code ORDER BY count(*) DESC, delivery_code
