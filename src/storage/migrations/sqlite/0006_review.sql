-- Review: the reviewer pool per issuer, each issuer's review policy, the reviews themselves (one
-- row per reviewer and submission, ratings as one JSON document), the one decision per submission,
-- admin overrides and the pay ledger. Submissions are referenced by public id only: the evidence
-- slice owns them and the decision row is the review slice's own record.

CREATE TABLE reviewer_profiles (
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  user_id TEXT NOT NULL REFERENCES users (public_id),
  load_cap INTEGER NOT NULL CHECK (load_cap BETWEEN 1 AND 1000),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (issuer_id, user_id)
) STRICT;

-- What a reviewer may review: a micro-credential id (kind 'mc') or any micro-credential with a tag.
CREATE TABLE reviewer_qualifications (
  issuer_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('mc', 'tag')),
  value TEXT NOT NULL,
  PRIMARY KEY (issuer_id, user_id, kind, value),
  FOREIGN KEY (issuer_id, user_id) REFERENCES reviewer_profiles (issuer_id, user_id)
    ON DELETE CASCADE
) STRICT;

CREATE TABLE issuer_review_policies (
  issuer_id TEXT PRIMARY KEY REFERENCES organizations (public_id),
  sla_days INTEGER NOT NULL CHECK (sla_days BETWEEN 1 AND 365),
  never_same_district INTEGER NOT NULL CHECK (never_same_district IN (0, 1)),
  review_pay_cents INTEGER NOT NULL CHECK (review_pay_cents >= 0),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  submission_id TEXT NOT NULL,
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  micro_credential_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  reviewer_id TEXT NOT NULL REFERENCES users (public_id),
  state TEXT NOT NULL CHECK (state IN ('assigned', 'in_progress', 'completed', 'returned',
    'recused', 'released', 'cancelled', 'unassigned')),
  tie_break INTEGER NOT NULL CHECK (tie_break IN (0, 1)),
  by_override INTEGER NOT NULL CHECK (by_override IN (0, 1)),
  revision INTEGER NOT NULL CHECK (revision >= 0),
  ratings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ratings)),
  comment TEXT NOT NULL DEFAULT '',
  recommendation TEXT NOT NULL DEFAULT '' CHECK (recommendation IN ('', 'earned', 'not_yet')),
  close_reason TEXT NOT NULL DEFAULT '',
  assigned_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  started_at TEXT,
  closed_at TEXT,
  -- A reviewer is on a submission at most once, whatever became of that review: this is also what
  -- stops two concurrent assignment runs from giving one reviewer the same work twice.
  UNIQUE (submission_id, reviewer_id)
) STRICT;
CREATE INDEX reviews_by_reviewer ON reviews (reviewer_id, state, due_at);
CREATE INDEX reviews_open_by_issuer ON reviews (issuer_id, reviewer_id)
  WHERE state IN ('assigned', 'in_progress');
CREATE INDEX reviews_open_by_due ON reviews (due_at) WHERE state IN ('assigned', 'in_progress');

CREATE TABLE review_decisions (
  submission_id TEXT PRIMARY KEY,
  issuer_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('earned', 'not_yet')),
  tie_break INTEGER NOT NULL CHECK (tie_break IN (0, 1)),
  deciding_review_id TEXT NOT NULL,
  decided_at TEXT NOT NULL
) STRICT;

CREATE TABLE assignment_overrides (
  id INTEGER PRIMARY KEY,
  submission_id TEXT NOT NULL,
  reviewer_id TEXT NOT NULL,
  issuer_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;

CREATE TABLE review_ledger (
  review_id TEXT PRIMARY KEY,
  reviewer_id TEXT NOT NULL,
  issuer_id TEXT NOT NULL,
  submission_code TEXT NOT NULL,
  micro_credential_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  completed_at TEXT NOT NULL
) STRICT;
CREATE INDEX review_ledger_by_issuer ON review_ledger (issuer_id, completed_at);
