-- The webhook inbox: every key seen (de-duplication, kept eight days) and every event stored before its 200.

CREATE TABLE inbox_seen (
    key     text PRIMARY KEY,
    seen_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX inbox_seen_by_age ON inbox_seen (seen_at);

CREATE TABLE inbox_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedup_key    text NOT NULL UNIQUE,
    -- The business number and the customer's wa_id: one conversation's events are handled in order.
    conversation text,
    -- When upstream sent it (the event's timestamp), else when it arrived.
    sent_at      timestamptz NOT NULL,
    arrived_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The whole delivery it came in: the event is read from it again by its key.
    body         bytea NOT NULL,
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'handled', 'dead')),
    -- Handlers (in registration order) run to the end: a retry starts after them.
    step         integer NOT NULL DEFAULT 0,
    attempts     integer NOT NULL DEFAULT 0,
    available_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    lease_owner  text,
    lease_until  timestamptz,
    error        text,
    settled_at   timestamptz
);
CREATE INDEX inbox_events_ready ON inbox_events (sent_at, id) WHERE state = 'pending';
CREATE INDEX inbox_events_conversation ON inbox_events (conversation, sent_at, id) WHERE state = 'pending';
CREATE INDEX inbox_events_settled ON inbox_events (settled_at) WHERE settled_at IS NOT NULL;
