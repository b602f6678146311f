-- Catalog: one row per micro-credential version. The full content is one JSON document; the
-- columns beside it are what search filters and sorts on, so a GET is one indexed lookup.

CREATE TABLE catalog_versions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  issuer_name TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'retired')),
  -- The version the catalog shows for this micro-credential: the latest published one, kept
  -- after retirement so old links explain what happened.
  is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
  revision BIGINT NOT NULL CHECK (revision >= 1),
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  summary TEXT NOT NULL,
  subject TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  grade_band TEXT NOT NULL,
  grade_min INTEGER NOT NULL,
  grade_max INTEGER NOT NULL,
  estimated_hours DOUBLE PRECISION NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  image_url TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT,
  retired_at TEXT,
  -- The large columns come last: SQLite reads a row's columns in order, so anything stored after
  -- them would cost a walk through their overflow pages on every search and list.
  search_text TEXT NOT NULL,
  content TEXT NOT NULL,
  -- The version's public JSON (content, metadata and rendered Markdown), written by the app at every
  -- change so that a read is one lookup with no parsing or rendering.
  document TEXT NOT NULL,
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', search_text), 'C')) STORED,
  UNIQUE (public_id, version)
);
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
CREATE INDEX catalog_versions_search ON catalog_versions USING GIN (search_vector)
  WHERE state = 'published' AND is_current = 1;

CREATE TABLE catalog_tags (
  tag TEXT NOT NULL,
  version_row BIGINT NOT NULL REFERENCES catalog_versions (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, version_row)
);

-- A frozen version keeps its content even against a stray UPDATE: the rule lives in the schema
-- too, not only in the domain code.
CREATE FUNCTION catalog_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state <> 'draft' AND (NEW.content IS DISTINCT FROM OLD.content
      OR NEW.title IS DISTINCT FROM OLD.title OR NEW.version IS DISTINCT FROM OLD.version
      OR NEW.public_id IS DISTINCT FROM OLD.public_id) THEN
    RAISE EXCEPTION 'published micro-credential versions are immutable'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER catalog_versions_frozen BEFORE UPDATE ON catalog_versions
  FOR EACH ROW EXECUTE FUNCTION catalog_versions_frozen();
