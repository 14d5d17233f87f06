-- The foundation: settings, access keys, KMS, the audit chain and the event outbox.
-- Times are Unix milliseconds (UTC). Documents are JSON with no secret in them; secret material
-- is stored only wrapped by the root key (columns named wrapped_*).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE access_keys (
    access_key_id      TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL,
    owner_type         TEXT NOT NULL,
    owner_arn          TEXT NOT NULL,
    owner_id           TEXT NOT NULL,
    owner_name         TEXT,
    wrapped_secret     BLOB NOT NULL,
    status             TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    session_token_hash BLOB,
    expires_at         INTEGER,
    role_arn           TEXT,
    session_policy     TEXT
) WITHOUT ROWID;
CREATE INDEX access_keys_owner ON access_keys (account_id, owner_arn);
CREATE INDEX access_keys_expiry ON access_keys (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE kms_keys (
    key_id     TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    due_at     INTEGER,           -- the next time scheduled work applies: deletion or rotation
    doc        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX kms_keys_scope ON kms_keys (account_id, region, key_id);
CREATE INDEX kms_keys_due ON kms_keys (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE kms_key_material (
    key_id           TEXT NOT NULL,
    version          INTEGER NOT NULL,
    wrapped_material BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (key_id, version)
) WITHOUT ROWID;

CREATE TABLE kms_aliases (
    account_id    TEXT NOT NULL,
    region        TEXT NOT NULL,
    alias_name    TEXT NOT NULL,
    target_key_id TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, alias_name)
) WITHOUT ROWID;
CREATE INDEX kms_aliases_target ON kms_aliases (target_key_id);

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    event_time INTEGER NOT NULL,
    record     TEXT NOT NULL,
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
);

CREATE TABLE event_outbox (
    seq           INTEGER PRIMARY KEY,
    event_time    INTEGER NOT NULL,
    event         TEXT NOT NULL,
    dispatched_at INTEGER
);
