-- Denied requests are aggregated (issue 11 #18): one row may stand for several denials of one source, principal and status
-- in one minute, and count says how many. Rows stored before stand for one request each.
ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1;

-- Retention (Berth:Audit:RetentionDays) deletes old records. Records are still never changed, and none younger than a day
-- can be deleted, whatever a retention setting says: a fresh record cannot be made to disappear through Berth.
DROP TRIGGER audit_no_delete;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN old.time >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')
BEGIN
    SELECT RAISE(ABORT, 'audit records younger than a day cannot be deleted');
END;
