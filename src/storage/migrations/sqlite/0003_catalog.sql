-- Catalog: one row per micro-credential version. The full content is one JSON document; the
-- columns beside it are what search filters and sorts on, so a GET is one indexed lookup.

CREATE TABLE catalog_versions (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  issuer_name TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'retired')),
  -- The version the catalog shows for this micro-credential: the latest published one, kept
  -- after retirement so old links explain what happened.
  is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  summary TEXT NOT NULL,
  subject TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  grade_band TEXT NOT NULL,
  grade_min INTEGER NOT NULL,
  grade_max INTEGER NOT NULL,
  estimated_hours REAL NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  image_url TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT,
  retired_at TEXT,
  -- The large columns come last: SQLite reads a row's columns in order, so anything stored after
  -- them would cost a walk through their overflow pages on every search and list.
  search_text TEXT NOT NULL,
  content TEXT NOT NULL CHECK (json_valid(content)),
  -- The version's public JSON (content, metadata and rendered Markdown), written by the app at every
  -- change so that a read is one lookup with no parsing or rendering.
  document TEXT NOT NULL CHECK (json_valid(document)),
  UNIQUE (public_id, version)
) STRICT;
CREATE UNIQUE INDEX catalog_versions_current ON catalog_versions (public_id) WHERE is_current = 1;
CREATE UNIQUE INDEX catalog_versions_one_draft ON catalog_versions (public_id)
  WHERE state = 'draft';
CREATE INDEX catalog_versions_by_issuer ON catalog_versions (issuer_id, state);
-- The public catalog's sort orders, over the shown published versions only.
CREATE INDEX catalog_listed_newest ON catalog_versions (published_at DESC, public_id)
  WHERE state = 'published' AND is_current = 1;
CREATE INDEX catalog_listed_title ON catalog_versions (title_key, public_id)
  WHERE state = 'published' AND is_current = 1;
CREATE INDEX catalog_listed_hours ON catalog_versions (estimated_hours, title_key, public_id)
  WHERE state = 'published' AND is_current = 1;

CREATE TABLE catalog_tags (
  tag TEXT NOT NULL,
  version_row INTEGER NOT NULL REFERENCES catalog_versions (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, version_row)
) STRICT, WITHOUT ROWID;

-- A frozen version keeps its content even against a stray UPDATE: the rule lives in the schema
-- too, not only in the domain code.
CREATE TRIGGER catalog_versions_frozen BEFORE UPDATE ON catalog_versions
WHEN old.state <> 'draft' AND (new.content IS NOT old.content OR new.title IS NOT old.title
  OR new.version IS NOT old.version OR new.public_id IS NOT old.public_id)
BEGIN
  SELECT RAISE(ABORT, 'published micro-credential versions are immutable');
END;

-- Full-text index over the shown, published versions only, with the row table as its content.
CREATE VIRTUAL TABLE catalog_fts USING fts5(
  title, summary, search_text,
  content = 'catalog_versions', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER catalog_fts_insert AFTER INSERT ON catalog_versions
WHEN new.state = 'published' AND new.is_current = 1
BEGIN
  INSERT INTO catalog_fts (rowid, title, summary, search_text)
  VALUES (new.id, new.title, new.summary, new.search_text);
END;

-- One trigger, so the old entry always leaves before the new one arrives.
CREATE TRIGGER catalog_fts_update AFTER UPDATE ON catalog_versions
BEGIN
  INSERT INTO catalog_fts (catalog_fts, rowid, title, summary, search_text)
  SELECT 'delete', old.id, old.title, old.summary, old.search_text
  WHERE old.state = 'published' AND old.is_current = 1;
  INSERT INTO catalog_fts (rowid, title, summary, search_text)
  SELECT new.id, new.title, new.summary, new.search_text
  WHERE new.state = 'published' AND new.is_current = 1;
END;

CREATE TRIGGER catalog_fts_delete AFTER DELETE ON catalog_versions
WHEN old.state = 'published' AND old.is_current = 1
BEGIN
  INSERT INTO catalog_fts (catalog_fts, rowid, title, summary, search_text)
  VALUES ('delete', old.id, old.title, old.summary, old.search_text);
END;
