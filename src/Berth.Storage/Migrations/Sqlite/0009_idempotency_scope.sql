-- Idempotency keys belong to the caller that used them (issue 11 #7): the same key from another caller is another request.
-- The scope is the calling agent ('agent:NAME', stable across its instances) or the calling token ('token:ID'). Rows stored
-- before keep their key, scoped to the caller that sent them, so a repeat by that caller still finds its stored answer.
ALTER TABLE requests ADD COLUMN idempotency_scope TEXT NULL;

UPDATE requests
SET idempotency_scope = CASE WHEN caller_agent IS NOT NULL THEN 'agent:' || caller_agent ELSE caller END
WHERE idempotency_key IS NOT NULL;

DROP INDEX ux_requests_key;
CREATE UNIQUE INDEX ux_requests_key ON requests (agent, idempotency_scope, idempotency_key) WHERE idempotency_key IS NOT NULL;
