-- Evidence, the educator's side: enrolments pin a published micro-credential version; the draft is
-- the autosaved workspace and every saved revision stays in draft_revisions, so nothing typed is
-- ever lost; a submission is a frozen copy of the draft, and its timeline is append-only.
-- Rows carry public ids ("enr_…", "sub_…") and reference other tables by public id.

CREATE TABLE enrolments (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (public_id),
  micro_credential_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  state TEXT NOT NULL CHECK (state IN ('active', 'earned', 'closed')),
  attempts_used INTEGER NOT NULL DEFAULT 0 CHECK (attempts_used >= 0),
  attempt_cap INTEGER NOT NULL CHECK (attempt_cap BETWEEN 1 AND 10),
  coach_grants INTEGER NOT NULL DEFAULT 0 CHECK (coach_grants >= 0),
  due_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  FOREIGN KEY (micro_credential_id, version) REFERENCES catalog_versions (public_id, version)
);
-- One open enrolment per educator and micro-credential, kept by the schema against racing POSTs.
CREATE UNIQUE INDEX enrolments_one_open ON enrolments (user_id, micro_credential_id)
  WHERE state <> 'closed';
CREATE INDEX enrolments_by_user ON enrolments (user_id, created_at);
CREATE INDEX enrolments_by_issuer ON enrolments (issuer_id, state, created_at);

-- The current draft. content is the JSON of core::evidence::SubmissionContent.
CREATE TABLE drafts (
  enrolment_id TEXT PRIMARY KEY REFERENCES enrolments (public_id),
  revision BIGINT NOT NULL CHECK (revision >= 1),
  submitted_revision BIGINT NOT NULL DEFAULT 0,
  content TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Every saved revision (the newest 200 per enrolment are kept).
CREATE TABLE draft_revisions (
  enrolment_id TEXT NOT NULL REFERENCES enrolments (public_id),
  revision BIGINT NOT NULL CHECK (revision >= 1),
  saved_at TEXT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (enrolment_id, revision)
);

CREATE TABLE submissions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL UNIQUE,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (public_id),
  user_id TEXT NOT NULL REFERENCES users (public_id),
  micro_credential_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  state TEXT NOT NULL
    CHECK (state IN ('submitted', 'in_review', 'returned', 'withdrawn', 'earned', 'not_yet')),
  school_id TEXT,
  district_id TEXT,
  return_reason TEXT NOT NULL DEFAULT '',
  submitted_at TEXT NOT NULL,
  decided_at TEXT,
  updated_at TEXT NOT NULL,
  content TEXT NOT NULL,
  UNIQUE (enrolment_id, attempt)
);
-- At most one attempt of an enrolment waits for or is under review: a double-clicked submit
-- cannot make two.
CREATE UNIQUE INDEX submissions_one_open ON submissions (enrolment_id)
  WHERE state IN ('submitted', 'in_review');
CREATE INDEX submissions_by_issuer_state ON submissions (issuer_id, state, submitted_at);

-- A frozen attempt keeps its content even against a stray UPDATE.
CREATE FUNCTION submissions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.content IS DISTINCT FROM OLD.content OR NEW.code IS DISTINCT FROM OLD.code
      OR NEW.enrolment_id IS DISTINCT FROM OLD.enrolment_id
      OR NEW.attempt IS DISTINCT FROM OLD.attempt THEN
    RAISE EXCEPTION 'submitted evidence is immutable' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER submissions_frozen BEFORE UPDATE ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_frozen();

CREATE TABLE submission_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  submission_id TEXT NOT NULL REFERENCES submissions (public_id),
  state TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submission_events_by_submission ON submission_events (submission_id, id);

-- Each recorded coach meeting lets the educator submit once more past the attempt cap.
CREATE TABLE coach_sessions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  enrolment_id TEXT NOT NULL REFERENCES enrolments (public_id),
  coach_id TEXT NOT NULL REFERENCES users (public_id),
  note TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX coach_sessions_by_enrolment ON coach_sessions (enrolment_id, id);

-- A district's time frame for its educators' new enrolments.
CREATE TABLE enrolment_policies (
  organization_id TEXT PRIMARY KEY REFERENCES organizations (public_id),
  days INTEGER CHECK (days IS NULL OR days BETWEEN 1 AND 3650),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
