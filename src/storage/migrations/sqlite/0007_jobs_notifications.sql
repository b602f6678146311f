-- Jobs and notifications: the in-app inbox of each user, and what the job worker needs to find
-- open jobs of one kind (periodic jobs are enqueued only when none is open).

CREATE INDEX jobs_open_by_kind ON jobs (kind, state);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  created_at TEXT NOT NULL,
  read_at TEXT
) STRICT;
-- The inbox reads newest first by the integer key, which follows insertion order.
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
