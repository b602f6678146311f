-- Evidence files and the tus uploads that produce them. Bytes live in the content-addressed blob
-- store (<data_dir>/blobs); rows hold references by sha256. Enrolments are referenced by public id
-- only, because the evidence tables are another area's and may change shape independently.

CREATE TABLE evidence_files (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL REFERENCES users (public_id),
  enrolment_id TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size >= 0),
  media_type TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('document', 'image', 'audio', 'video', 'link')),
  filename TEXT NOT NULL,
  warnings TEXT NOT NULL,
  playable_sha256 TEXT NOT NULL,
  transcode_state TEXT NOT NULL CHECK (transcode_state IN ('none', 'pending', 'done', 'failed')),
  created_at TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;
CREATE INDEX evidence_files_by_enrolment ON evidence_files (enrolment_id);
CREATE INDEX evidence_files_by_sha256 ON evidence_files (sha256);
CREATE INDEX evidence_files_by_playable ON evidence_files (playable_sha256);

CREATE TABLE uploads (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL REFERENCES users (public_id),
  enrolment_id TEXT NOT NULL,
  length INTEGER NOT NULL CHECK (length >= 0),
  upload_offset INTEGER NOT NULL CHECK (upload_offset >= 0 AND upload_offset <= length),
  metadata TEXT NOT NULL,
  filename TEXT NOT NULL,
  requirement INTEGER,
  state TEXT NOT NULL CHECK (state IN ('receiving', 'complete')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  file_id TEXT
) STRICT;
CREATE INDEX uploads_by_enrolment ON uploads (enrolment_id, state);
CREATE INDEX uploads_by_expiry ON uploads (state, expires_at);
