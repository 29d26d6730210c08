-- The bulk journal in PostgreSQL: campaigns, one row per input line, statuses that wait for their line,
-- and the status listeners' sessions. Applied by d360 itself (d360.bulk.postgres.migrations), in the
-- schema the URL names (?schema=, default d360), inside one transaction under an advisory lock.

-- The database's clock, in seconds since the epoch: every time a journal keeps is read from it, so senders
-- and listeners on machines whose clocks differ still order their writes alike. Fixed for one statement.
CREATE FUNCTION journal_now() RETURNS double precision
    LANGUAGE sql STABLE
    AS $$ SELECT extract(epoch FROM statement_timestamp())::double precision $$;

CREATE TABLE campaigns (
    id                text PRIMARY KEY,
    input_fingerprint text NOT NULL,
    input             text NOT NULL,
    schema_version    text NOT NULL,
    created_at        double precision NOT NULL
);
CREATE INDEX campaigns_by_fingerprint ON campaigns (input_fingerprint, created_at);

CREATE TABLE lines (
    campaign_id          text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    line_number          integer NOT NULL,
    content_hash         text NOT NULL,
    state                text NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'failed', 'unknown')),
    message_id           text,
    error                text,
    attempts             integer NOT NULL DEFAULT 0,
    created_at           double precision NOT NULL,
    updated_at           double precision NOT NULL,
    delivery             text,
    delivery_code        integer,
    delivery_error       text,
    delivery_at          double precision,
    match_by_id          smallint,
    sent_at              double precision,
    first_status_at      double precision,
    first_status_session bigint,
    PRIMARY KEY (campaign_id, line_number)
);
-- Statuses find a line by the d360 token they carry; only a line that brought its own
-- biz_opaque_callback_data is found by its message id, so only those are indexed.
CREATE INDEX lines_matched_by_id ON lines (message_id) WHERE match_by_id = 1;

-- Statuses with no d360 token that found no line yet: the status beat the send's own answer, which records
-- the message id. Applied whenever a run settles; the newest few thousand are kept.
CREATE TABLE waiting_statuses (
    id          bigserial PRIMARY KEY,
    message_id  text NOT NULL,
    status      text NOT NULL,
    code        integer,
    error       text,
    received_at double precision NOT NULL,
    session     bigint
);
CREATE INDEX waiting_statuses_by_message_id ON waiting_statuses (message_id);

-- A status listener's time up: statuses one session recorded before and after a line was sent prove that
-- line never accepted (see Journal.resend_unknown_with_evidence).
CREATE TABLE listener_sessions (
    id         bigserial PRIMARY KEY,
    started_at double precision NOT NULL,
    alive_at   double precision NOT NULL
);
