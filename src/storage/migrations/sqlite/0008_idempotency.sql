-- Idempotency keys: per scope (the user, or "anonymous") and key, the fingerprint of the first
-- request and, once it finished, the response to replay. An unfinished row is a reservation held
-- by one server process (owner); expired rows are pruned after 24 hours.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  idem_key TEXT NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 255),
  fingerprint TEXT NOT NULL,
  owner TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  reserved_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  status INTEGER,
  headers TEXT CHECK (headers IS NULL OR json_valid(headers)),
  body TEXT,
  PRIMARY KEY (scope, idem_key),
  CHECK (state = 'running' OR status IS NOT NULL)
) STRICT;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
