-- Desired state of agents. Names are DNS labels compared byte for byte (BINARY collation).
-- Times are ISO 8601 UTC text with 7 fractional digits, so text order is time order.
CREATE TABLE agents (
    name          TEXT    NOT NULL PRIMARY KEY,
    spec          TEXT    NOT NULL,
    generation    INTEGER NOT NULL,
    desired_state TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
