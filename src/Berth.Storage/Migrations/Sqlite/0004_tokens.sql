-- Bearer tokens by SHA-256 hash; the token text is never stored. The unique index makes the per-request lookup one probe.
CREATE TABLE tokens (
    id           TEXT NOT NULL PRIMARY KEY,
    hash         TEXT NOT NULL,
    role         TEXT NOT NULL,
    description  TEXT NULL,
    agent_name   TEXT NULL,
    instance_id  TEXT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NULL,
    revoked_at   TEXT NULL,
    last_used_at TEXT NULL
);

CREATE UNIQUE INDEX ux_tokens_hash ON tokens (hash);
CREATE INDEX ix_tokens_agent ON tokens (agent_name) WHERE agent_name IS NOT NULL;
