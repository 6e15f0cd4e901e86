-- The audit log: append-only. Ids only grow (AUTOINCREMENT), and the triggers refuse UPDATE and DELETE, so a record
-- cannot be changed or removed through Berth; only someone who can rewrite the database file itself could.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    time      TEXT NOT NULL,
    principal TEXT NOT NULL,
    token_id  TEXT NULL,
    role      TEXT NULL,
    action    TEXT NOT NULL,
    verb      TEXT NULL,
    target    TEXT NULL,
    status    INTEGER NOT NULL,
    outcome   TEXT NOT NULL,
    source    TEXT NULL
);

CREATE INDEX ix_audit_time ON audit (time);
CREATE INDEX ix_audit_principal ON audit (principal, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit records cannot be changed');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit records cannot be deleted');
END;
