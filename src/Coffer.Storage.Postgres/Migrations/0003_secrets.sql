-- PostgreSQL translation of the SQLite store's migration of the same number (types: INTEGER is
-- BIGINT, BLOB is BYTEA, text compares bytewise with COLLATE "C" as SQLite does).
-- Secrets Manager: secrets (metadata and versions as a JSON document, nothing secret in it), the
-- encrypted values of their versions (KMS ciphertext blobs), and the functions Coffer can invoke
-- (rotation functions registered as HTTP endpoints).

CREATE TABLE secrets (
    arn        TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    region     TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    due_at     BIGINT,           -- the next time scheduled work applies: purge or rotation window
    doc        TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX secrets_name ON secrets (account_id, region, name);
CREATE INDEX secrets_due ON secrets (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE secret_values (
    arn        TEXT COLLATE "C" NOT NULL,
    version_id TEXT COLLATE "C" NOT NULL,
    ciphertext BYTEA NOT NULL,     -- a KMS ciphertext blob bound to SecretARN and SecretVersionId
    PRIMARY KEY (arn, version_id)
);

CREATE TABLE functions (
    account_id TEXT COLLATE "C" NOT NULL,
    region     TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    doc        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, region, name)
);
