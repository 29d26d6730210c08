-- Every statement the PostgreSQL webhook inbox runs, by name (loaded by d360.webhooks.inbox.postgres).
-- Values are always parameters (%(name)s); the schema is chosen by the connection's search_path. Times come
-- from the database's clock (clock_timestamp()), so receivers on several hosts agree on leases.

-- name: lock_migrations
SELECT pg_advisory_xact_lock(hashtextextended('d360 inbox migrations ' || %(schema)s, 0))

-- name: create_schema
CREATE SCHEMA IF NOT EXISTS {schema}

-- name: use_schema
SELECT set_config('search_path', quote_ident(%(schema)s), %(local)s)

-- name: create_migrations_table
CREATE TABLE IF NOT EXISTS inbox_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)

-- name: applied_migrations
SELECT version FROM inbox_migrations ORDER BY version

-- name: record_migration
INSERT INTO inbox_migrations (version, name) VALUES (%(version)s, %(name)s)

-- name: put
-- One statement, so one transaction: each key claimed, and each event whose key is new stored.
WITH incoming AS (
    SELECT * FROM unnest(%(keys)s::text[], %(conversations)s::text[], %(sent)s::float8[], %(bodies)s::bytea[])
        WITH ORDINALITY AS t (key, conversation, sent_at, body, n)
), claimed AS (
    INSERT INTO inbox_seen (key) SELECT key FROM incoming ORDER BY n
    ON CONFLICT DO NOTHING RETURNING key
), stored AS (
    INSERT INTO inbox_events (dedup_key, conversation, sent_at, body)
    SELECT i.key, i.conversation, coalesce(to_timestamp(i.sent_at), clock_timestamp()), i.body
    FROM incoming AS i JOIN claimed AS c ON c.key = i.key ORDER BY i.n
    RETURNING dedup_key
)
SELECT dedup_key FROM stored

-- name: claim_keys
INSERT INTO inbox_seen (key) SELECT unnest(%(keys)s::text[]) ON CONFLICT DO NOTHING RETURNING key

-- name: forget
WITH gone AS (DELETE FROM inbox_seen WHERE key = ANY(%(keys)s::text[]))
DELETE FROM inbox_events WHERE dedup_key = ANY(%(keys)s::text[]) AND state = 'pending'

-- name: claim
-- Oldest first; at most one event of a conversation, and none of a conversation with an earlier event not
-- yet settled or an event leased to someone: SKIP LOCKED lets receivers claiming at once take different rows.
WITH ready AS (
    SELECT e.id FROM inbox_events AS e
    WHERE e.state = 'pending' AND e.available_at <= clock_timestamp()
      AND (e.lease_until IS NULL OR e.lease_until < clock_timestamp())
      AND (e.conversation IS NULL OR NOT EXISTS (
          SELECT 1 FROM inbox_events AS p
          WHERE p.conversation = e.conversation AND p.state = 'pending' AND p.id <> e.id
            AND ((p.sent_at, p.id) < (e.sent_at, e.id) OR p.lease_until >= clock_timestamp())))
    ORDER BY e.sent_at, e.id
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE inbox_events AS e
SET lease_owner = %(owner)s, lease_until = clock_timestamp() + make_interval(secs => %(lease)s)
FROM ready WHERE e.id = ready.id
RETURNING e.dedup_key, e.body, e.conversation, e.attempts, e.step, extract(epoch FROM e.arrived_at)::float8,
    e.sent_at, e.id

-- name: renew
UPDATE inbox_events SET lease_until = clock_timestamp() + make_interval(secs => %(lease)s)
WHERE dedup_key = ANY(%(keys)s::text[]) AND lease_owner = %(owner)s AND state = 'pending'

-- name: done
UPDATE inbox_events
SET state = 'handled', settled_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL, error = NULL
WHERE dedup_key = %(key)s AND state = 'pending' AND lease_owner = %(owner)s

-- name: done_many
UPDATE inbox_events
SET state = 'handled', settled_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL, error = NULL
WHERE dedup_key = ANY(%(keys)s::text[]) AND state = 'pending' AND lease_owner = %(owner)s
RETURNING dedup_key

-- name: progress
UPDATE inbox_events SET step = greatest(step, %(step)s)
WHERE dedup_key = %(key)s AND state = 'pending' AND lease_owner = %(owner)s

-- name: failed
-- The backoff before attempt n+1 is base * 2^(n-1) seconds, at most cap.
UPDATE inbox_events
SET attempts = attempts + 1,
    state = CASE WHEN attempts + 1 >= %(max_attempts)s THEN 'dead' ELSE 'pending' END,
    error = %(error)s,
    step = greatest(step, %(step)s),
    available_at = clock_timestamp() + make_interval(secs => least(%(cap)s, %(base)s * 2 ^ attempts)),
    lease_owner = NULL,
    lease_until = NULL,
    settled_at = CASE WHEN attempts + 1 >= %(max_attempts)s THEN clock_timestamp() END
WHERE dedup_key = %(key)s AND state = 'pending' AND lease_owner = %(owner)s
RETURNING state

-- name: dead_letters
SELECT dedup_key, body, conversation, attempts, step, error, extract(epoch FROM arrived_at)::float8
FROM inbox_events WHERE state = 'dead' ORDER BY sent_at, id

-- name: retry_dead
UPDATE inbox_events
SET state = 'pending', attempts = 0, available_at = clock_timestamp(), settled_at = NULL, lease_owner = NULL,
    lease_until = NULL
WHERE state = 'dead' AND (%(keys)s::text[] IS NULL OR dedup_key = ANY(%(keys)s::text[]))

-- name: pending
SELECT count(*) FROM inbox_events WHERE state = 'pending'

-- name: prune_seen
DELETE FROM inbox_seen WHERE seen_at < clock_timestamp() - make_interval(secs => %(max_age)s)

-- name: prune_handled
DELETE FROM inbox_events WHERE state = 'handled' AND settled_at < clock_timestamp() - make_interval(secs => %(keep)s)
