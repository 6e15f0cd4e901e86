-- Proxied requests, stored before they are forwarded. seq gives arrival order (replays follow it); id is the public name.
-- Payloads (headers and body, JSON-framed) are blobs; lists read without them.
CREATE TABLE requests (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    agent            TEXT NOT NULL,
    state            TEXT NOT NULL,
    method           TEXT NOT NULL,
    target           TEXT NOT NULL,
    request_payload  BLOB NOT NULL,
    body_length      INTEGER NOT NULL,
    idempotency_key  TEXT NULL,
    fingerprint      TEXT NOT NULL,
    caller           TEXT NOT NULL,
    caller_agent     TEXT NULL,
    attempts         INTEGER NOT NULL,
    max_attempts     INTEGER NOT NULL,
    accepted_at      TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    next_attempt_at  TEXT NULL,
    finished_at      TEXT NULL,
    lease_owner      TEXT NULL,
    lease_expires_at TEXT NULL,
    last_failure     TEXT NULL,
    last_error       TEXT NULL,
    response_status  INTEGER NULL,
    response_payload BLOB NULL,
    response_truncated INTEGER NOT NULL DEFAULT 0,
    response_length  INTEGER NULL
);

CREATE UNIQUE INDEX ux_requests_key ON requests (agent, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_requests_agent ON requests (agent, seq);
CREATE INDEX ix_requests_pending ON requests (agent, state, seq) WHERE state IN ('accepted', 'retrying', 'dispatched');
CREATE INDEX ix_requests_caller ON requests (caller_agent, seq) WHERE caller_agent IS NOT NULL;
