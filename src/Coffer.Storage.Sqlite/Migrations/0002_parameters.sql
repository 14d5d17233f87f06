-- SSM Parameter Store: one row per parameter (its current version number, the columns that
-- filters read, its tags) and one row per kept version. A SecureString version keeps only its
-- KMS ciphertext blob (wrapped_value); String and StringList values are not secrets (value).

CREATE TABLE ssm_parameters (
    account_id  TEXT NOT NULL,
    region      TEXT NOT NULL,
    name        TEXT NOT NULL,
    parent_path TEXT NOT NULL,   -- '/app/prod' for '/app/prod/db'; '/' for '/db'; '' outside the hierarchy
    version     INTEGER NOT NULL,  -- the current version
    due_at      INTEGER,           -- when a pending parameter policy next acts
    tags        TEXT NOT NULL,
    PRIMARY KEY (account_id, region, name)
) WITHOUT ROWID;
-- Recursive path reads are range scans on the primary key; one-level reads use this index.
CREATE INDEX ssm_parameters_parent ON ssm_parameters (account_id, region, parent_path, name);
CREATE INDEX ssm_parameters_due ON ssm_parameters (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE ssm_parameter_versions (
    account_id    TEXT NOT NULL,
    region        TEXT NOT NULL,
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    value         TEXT,
    wrapped_value BLOB,
    doc           TEXT NOT NULL,   -- type, key, tier, description, pattern, policies, who and when
    PRIMARY KEY (account_id, region, name, version)
) WITHOUT ROWID;

CREATE TABLE ssm_parameter_labels (
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    name       TEXT NOT NULL,
    label      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, name, label)
) WITHOUT ROWID;
