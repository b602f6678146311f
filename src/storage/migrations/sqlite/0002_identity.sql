-- Identity: accounts, organisations and memberships, and every bearer secret (sessions, API
-- tokens, email links, invitations), of which only the SHA-256 digest is stored. Rows have an
-- integer key for joins and an opaque public id for the outside world. Flags are 0/1 integers
-- so one SQL text and one binding serve both dialects.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name TEXT NOT NULL,
  email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
  platform_admin INTEGER NOT NULL DEFAULT 0 CHECK (platform_admin IN (0, 1)),
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('nonprofit', 'state_agency', 'district', 'school')),
  parent_id INTEGER REFERENCES organizations (id),
  issuer INTEGER NOT NULL CHECK (issuer IN (0, 1)),
  created_at TEXT NOT NULL,
  -- The domain rules, kept in the schema too: a school, and only a school, has a parent, and a
  -- school never issues.
  CHECK ((kind = 'school') = (parent_id IS NOT NULL)),
  CHECK (kind <> 'school' OR issuer = 0)
) STRICT;
CREATE INDEX organizations_by_parent ON organizations (parent_id);
CREATE INDEX organizations_by_name ON organizations (name, public_id);

CREATE TABLE memberships (
  user_id INTEGER NOT NULL REFERENCES users (id),
  organization_id INTEGER NOT NULL REFERENCES organizations (id),
  role TEXT NOT NULL CHECK (role IN ('educator', 'reviewer', 'issuer_admin', 'district_admin')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, organization_id, role)
) STRICT;
CREATE INDEX memberships_by_organization ON memberships (organization_id);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
) STRICT;
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);

CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  organization_id INTEGER REFERENCES organizations (id),
  email TEXT NOT NULL,
  role TEXT NOT NULL
    CHECK (role IN ('educator', 'reviewer', 'issuer_admin', 'district_admin', 'platform_admin')),
  invited_by INTEGER NOT NULL REFERENCES users (id),
  token_hash TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  accepted_at TEXT,
  accepted_by INTEGER REFERENCES users (id),
  CHECK ((role = 'platform_admin') = (organization_id IS NULL))
) STRICT;
CREATE INDEX invitations_by_organization ON invitations (organization_id);

-- Failed sign-ins per throttle key ("email:…", "ip:…"), shared by every server process.
CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  throttle_key TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_by_key ON login_failures (throttle_key, at);
CREATE INDEX login_failures_by_time ON login_failures (at);
