-- The RabbitMQ broker's own bookkeeping. RabbitMQ 3.10 (Debian's) has no message dedupe and cannot list, show or requeue a
-- dead letter, so Berth keeps those here; the messages themselves live in RabbitMQ's queues.

-- Message-Ids seen per topic, each remembered until the topic's dedupe window ends.
CREATE TABLE rabbitmq_dedupe (
    topic      TEXT NOT NULL,
    dedupe_id  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (topic, dedupe_id)
);

CREATE INDEX ix_rabbitmq_dedupe_expires ON rabbitmq_dedupe (expires_at);

-- Dead letters, one row per message and subscription, taken out of RabbitMQ (acked there) once the row is committed.
CREATE TABLE rabbitmq_dead_letters (
    subscription   TEXT    NOT NULL,
    id             TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    key            TEXT    NULL,
    attributes     TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    published_at   TEXT    NOT NULL,
    publisher      TEXT    NOT NULL,
    dedupe_id      TEXT    NULL,
    correlation_id TEXT    NULL,
    reply_to       TEXT    NULL,
    deliveries     INTEGER NOT NULL,
    dead_at        TEXT    NOT NULL,
    last_error     TEXT    NULL,
    PRIMARY KEY (subscription, id)
);

CREATE INDEX ix_rabbitmq_dead_letters_published ON rabbitmq_dead_letters (subscription, published_at, id);
CREATE INDEX ix_rabbitmq_dead_letters_id ON rabbitmq_dead_letters (id);

-- The binding each subscription's queue has (its topic and filter), so a changed filter can unbind the old one.
CREATE TABLE rabbitmq_bindings (
    subscription TEXT NOT NULL PRIMARY KEY,
    topic        TEXT NOT NULL,
    filter       TEXT NOT NULL
);

-- The delay queues a subscription has used (one per wait), so purges, counts and removals reach each of them.
CREATE TABLE rabbitmq_delay_queues (
    subscription TEXT    NOT NULL,
    delay_ms     INTEGER NOT NULL,
    PRIMARY KEY (subscription, delay_ms)
);
