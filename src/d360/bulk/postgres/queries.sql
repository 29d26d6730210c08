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

-- name: try_run_lock
-- Session-level: released by the server when the run's connection ends, however the run dies.
SELECT pg_try_advisory_lock(hashtextextended('d360 run ' || current_schema() || ' ' || %(campaign)s, 0))

-- name: run_unlock
SELECT pg_advisory_unlock(hashtextextended('d360 run ' || current_schema() || ' ' || %(campaign)s, 0))

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
COPY lines (campaign_id, line_number, content_hash, state, error, created_at, updated_at) FROM STDIN

-- name: recover_interrupted
UPDATE lines SET state = 'unknown', error = %(error)s, updated_at = journal_now()
WHERE campaign_id = %(campaign)s AND state = 'sending'

-- name: settle_by_status
UPDATE lines SET state = 'accepted', error = NULL, updated_at = journal_now()
WHERE campaign_id = %(campaign)s AND state IN ('sending', 'unknown') AND delivery IS NOT NULL

-- name: mark_sending
-- Committed before the requests leave. A line a status has spoken for is refused (delivery IS NOT NULL):
-- upstream took it. The lines returned are those marked.
UPDATE lines AS l
SET state = 'sending', attempts = l.attempts + 1, updated_at = journal_now(), sent_at = journal_now(),
    match_by_id = u.own_data
FROM unnest(%(line_numbers)s::integer[], %(own_data)s::smallint[]) AS u (line_number, own_data)
WHERE l.campaign_id = %(campaign)s AND l.line_number = u.line_number AND l.delivery IS NULL
RETURNING l.line_number

-- name: finish
-- A try's outcome; a line a status webhook already spoke for stays accepted.
UPDATE lines AS l
SET state = CASE WHEN l.delivery IS NULL THEN u.state ELSE 'accepted' END,
    message_id = COALESCE(u.message_id, l.message_id),
    error = CASE WHEN l.delivery IS NULL THEN u.error ELSE NULL END,
    match_by_id = COALESCE(u.match_by_id, l.match_by_id),
    updated_at = journal_now()
FROM unnest(%(line_numbers)s::integer[], %(states)s::text[], %(message_ids)s::text[], %(errors)s::text[],
            %(match_by_id)s::smallint[]) AS u (line_number, state, message_id, error, match_by_id)
WHERE l.campaign_id = %(campaign)s AND l.line_number = u.line_number

-- name: spoken_for
SELECT line_number FROM lines
WHERE campaign_id = %(campaign)s AND line_number = ANY (%(line_numbers)s::integer[]) AND delivery IS NOT NULL

-- name: has_status
SELECT delivery IS NOT NULL FROM lines WHERE campaign_id = %(campaign)s AND line_number = %(line_number)s

-- name: line_by_message_id
SELECT line_number FROM lines
WHERE campaign_id = %(campaign)s AND message_id = %(message_id)s AND match_by_id = 1 LIMIT 1

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
SELECT line_number, content_hash, state, message_id, error, attempts, created_at, updated_at,
       delivery, delivery_code, delivery_error
FROM lines WHERE campaign_id = %(campaign)s AND state = ANY (%(states)s::text[]) ORDER BY line_number

-- name: delivery_counts
SELECT coalesce(delivery, 'no status'), count(*) FROM lines
WHERE campaign_id = %(campaign)s AND state = 'accepted' GROUP BY 1

-- name: delivery_failures
SELECT delivery_code, min(delivery_error), count(*) FROM lines
WHERE campaign_id = %(campaign)s AND delivery = 'failed' GROUP BY delivery_code ORDER BY count(*) DESC, delivery_code
