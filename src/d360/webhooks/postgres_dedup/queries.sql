-- Every statement the PostgreSQL de-duplication store runs, by name (d360.bulk.postgres.queries.parse_queries
-- reads them). Values are always parameters (%(name)s); the schema is chosen by the connection's search_path.

-- name: lock_migrations
-- Held until the migrating transaction ends: processes starting at once migrate one after the other.
SELECT pg_advisory_xact_lock(hashtextextended('d360 dedup migrations ' || %(schema)s, 0))

-- name: create_schema
CREATE SCHEMA IF NOT EXISTS {schema}

-- name: use_schema
SELECT set_config('search_path', quote_ident(%(schema)s), %(local)s)

-- name: synchronous_commit
-- For this connection only (see PostgresDedupStore: off unless asked for).
SELECT set_config('synchronous_commit', %(value)s, false)

-- name: create_migrations_table
-- Named for this store: a schema shared with the bulk journal keeps both stores' versions apart.
CREATE TABLE IF NOT EXISTS dedup_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)

-- name: applied_migrations
SELECT version FROM dedup_migrations ORDER BY version

-- name: record_migration
INSERT INTO dedup_migrations (version, name) VALUES (%(version)s, %(name)s)

-- name: claim
-- The keys recorded now: new ones, and those older than max_age (new again, whether or not a sweep has
-- dropped them yet). Keys are distinct within one call; a conflict with a claim in flight waits for it, so
-- exactly one claimer gets each key back; taken in key order, so two claims of the same keys never deadlock.
INSERT INTO seen (key, seen_at)
SELECT key, statement_timestamp() FROM unnest(%(keys)s::text[]) AS key ORDER BY key
ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at
    WHERE seen.seen_at <= statement_timestamp() - make_interval(secs => %(max_age)s)
RETURNING key

-- name: forget
DELETE FROM seen WHERE key = ANY(%(keys)s::text[])

-- name: prune
DELETE FROM seen WHERE seen_at <= statement_timestamp() - make_interval(secs => %(max_age)s)

-- name: count
SELECT count(*) FROM seen
