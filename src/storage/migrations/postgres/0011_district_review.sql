-- Districts' say in review: an issuer may let districts set their own review deadline and
-- conflict-of-interest rule for their educators' submissions, and each district keeps its choices.
-- A NULL sla_days means "the issuer's deadline"; the district rule can only add to the issuer's.

ALTER TABLE issuer_review_policies ADD COLUMN allow_district_preferences INTEGER NOT NULL
  DEFAULT 0 CHECK (allow_district_preferences IN (0, 1));

CREATE TABLE district_review_preferences (
  district_id TEXT PRIMARY KEY REFERENCES organizations (public_id),
  sla_days INTEGER CHECK (sla_days IS NULL OR sla_days BETWEEN 1 AND 60),
  never_same_district INTEGER NOT NULL CHECK (never_same_district IN (0, 1)),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
