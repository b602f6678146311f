-- Public pages: each educator's portfolio setting. The credentials it lists are a JSON array of
-- credential ids in the educator's order; the page shows only those still theirs and public.

CREATE TABLE portfolios (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE REFERENCES users (public_id),
  handle TEXT NOT NULL UNIQUE,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  credential_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(credential_ids)),
  updated_at TEXT NOT NULL
) STRICT;
