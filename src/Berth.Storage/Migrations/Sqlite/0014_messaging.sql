-- Applied topics and subscriptions (kind: Topic, kind: Subscription); the spec is the API's JSON. A subscription's topic is
-- a column too, so the topics a server lists can name their subscriptions without parsing every spec.
CREATE TABLE topics (
    name       TEXT NOT NULL PRIMARY KEY,
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE subscriptions (
    name       TEXT NOT NULL PRIMARY KEY,
    topic      TEXT NOT NULL,
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The embedded broker's messages, in publish order (seq; AUTOINCREMENT so a number is never reused, even after the newest
-- message is dropped). A message is kept for its topic's retention, also once every subscription has acked it, so it can
-- still be looked up by id; attributes and body are JSON text.
CREATE TABLE messages (
    seq            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    topic          TEXT    NOT NULL,
    key            TEXT    NULL,
    attributes     TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    published_at   TEXT    NOT NULL,
    publisher      TEXT    NOT NULL,
    dedupe_id      TEXT    NULL,
    correlation_id TEXT    NULL,
    reply_to       TEXT    NULL
);

CREATE INDEX ix_messages_topic ON messages (topic, published_at);

-- One row per subscription per message it holds; an ack deletes the row. state is ready, leased or dead.
--   visible_at:   when the row may be leased next (null when dead). A lease sets it to the lease's end plus the
--                 subscription's backoff, so an expired lease becomes eligible again without anyone writing to the row.
--   lease_until:  when the current lease ends (leased rows only); an ack or nack after it is refused.
--   on_expiry:    what an expired lease turns into, fixed when leasing: ready, or dead when it was the last delivery allowed.
--   ack_token:    a fresh random token per lease; the ack id is "seq.token".
--   ordering_key: the message's key when its topic orders by key (null otherwise), so one key's rows can be found quickly.
CREATE TABLE message_deliveries (
    subscription   TEXT    NOT NULL,
    seq            INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
    ordering_key   TEXT    NULL,
    state          TEXT    NOT NULL,
    delivery_count INTEGER NOT NULL,
    visible_at     TEXT    NULL,
    lease_until    TEXT    NULL,
    on_expiry      TEXT    NULL,
    ack_token      TEXT    NULL,
    last_error     TEXT    NULL,
    PRIMARY KEY (subscription, seq)
) WITHOUT ROWID;

-- The receive query: a subscription's rows that are not dead, oldest first, with the time each becomes eligible.
CREATE INDEX ix_message_deliveries_receive ON message_deliveries (subscription, seq, visible_at) WHERE state <> 'dead';

-- Ordering by key: whether an earlier row of the same subscription and key is still held.
CREATE INDEX ix_message_deliveries_key ON message_deliveries (subscription, ordering_key, seq)
    WHERE ordering_key IS NOT NULL AND state <> 'dead';

-- The sweep: leases that have ended, across subscriptions.
CREATE INDEX ix_message_deliveries_leases ON message_deliveries (lease_until) WHERE state = 'leased';

-- A message's rows (lookups by message id, and the cascade when a message is dropped).
CREATE INDEX ix_message_deliveries_seq ON message_deliveries (seq);

-- Publishers' Message-Ids per topic, remembered for the topic's dedupe window.
CREATE TABLE message_dedupe (
    topic      TEXT NOT NULL,
    dedupe_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (topic, dedupe_id)
);

CREATE INDEX ix_message_dedupe_seen ON message_dedupe (topic, seen_at);
