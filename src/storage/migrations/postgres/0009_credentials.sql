-- Credentials: issuer signing keys (secrets sealed under the key-encryption key), per-issuer
-- signing settings, BitstringStatusLists and the issued credentials with their signed JSON.
-- Which status bits are set is derived from revoked credentials, so there is one source of truth.

CREATE TABLE issuer_keys (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  -- An organisation's public id, or "platform" for the key that signs CLR transcripts.
  issuer_id TEXT NOT NULL,
  public_multikey TEXT NOT NULL,
  sealed_nonce TEXT NOT NULL,
  sealed_secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT
);
CREATE INDEX issuer_keys_by_issuer ON issuer_keys (issuer_id, id);
-- One signing key per issuer at a time.
CREATE UNIQUE INDEX issuer_keys_one_active ON issuer_keys (issuer_id) WHERE retired_at IS NULL;

CREATE TABLE issuer_credential_settings (
  issuer_id TEXT PRIMARY KEY REFERENCES organizations (public_id),
  identity TEXT NOT NULL CHECK (identity IN ('hosted', 'did:key')),
  suite TEXT NOT NULL CHECK (suite IN ('eddsa-rdfc-2022', 'eddsa-jcs-2022')),
  valid_days INTEGER CHECK (valid_days IS NULL OR valid_days >= 1)
);

CREATE TABLE status_lists (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  size BIGINT NOT NULL CHECK (size >= 131072),
  allocated BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  signed_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_lists_by_issuer ON status_lists (issuer_id, purpose, id);

CREATE TABLE credentials (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  -- The credential is never issued twice for one submission.
  submission_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (public_id),
  issuer_id TEXT NOT NULL REFERENCES organizations (public_id),
  micro_credential_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status_list_id TEXT NOT NULL REFERENCES status_lists (public_id),
  status_index BIGINT NOT NULL,
  issued_at TEXT NOT NULL,
  valid_until TEXT,
  revoked_at TEXT,
  revocation_reason TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
  signed_json TEXT NOT NULL,
  UNIQUE (status_list_id, status_index)
);
CREATE INDEX credentials_by_user ON credentials (user_id, id);
CREATE INDEX credentials_by_issuer ON credentials (issuer_id, id);
CREATE INDEX credentials_revoked ON credentials (status_list_id, status_index)
  WHERE revoked_at IS NOT NULL;
