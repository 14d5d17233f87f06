-- Secrets Manager: secrets (metadata and versions as a JSON document, nothing secret in it), the
-- encrypted values of their versions (KMS ciphertext blobs), and the functions Coffer can invoke
-- (rotation functions registered as HTTP endpoints).

CREATE TABLE secrets (
    arn        TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    name       TEXT NOT NULL,
    due_at     INTEGER,           -- the next time scheduled work applies: purge or rotation window
    doc        TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX secrets_name ON secrets (account_id, region, name);
CREATE INDEX secrets_due ON secrets (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE secret_values (
    arn        TEXT NOT NULL,
    version_id TEXT NOT NULL,
    ciphertext BLOB NOT NULL,     -- a KMS ciphertext blob bound to SecretARN and SecretVersionId
    PRIMARY KEY (arn, version_id)
) WITHOUT ROWID;

CREATE TABLE functions (
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    name       TEXT NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (account_id, region, name)
) WITHOUT ROWID;
