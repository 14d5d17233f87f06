-- PostgreSQL translation of the SQLite store's migration of the same number (types: INTEGER is
-- BIGINT, BLOB is BYTEA, text compares bytewise with COLLATE "C" as SQLite does).
-- SSM Parameter Store: one row per parameter (its current version number, the columns that
-- filters read, its tags) and one row per kept version. A SecureString version keeps only its
-- KMS ciphertext blob (wrapped_value); String and StringList values are not secrets (value).

CREATE TABLE ssm_parameters (
    account_id  TEXT COLLATE "C" NOT NULL,
    region      TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    parent_path TEXT COLLATE "C" NOT NULL,   -- '/app/prod' for '/app/prod/db'; '/' for '/db'; '' outside the hierarchy
    version     BIGINT NOT NULL,  -- the current version
    due_at      BIGINT,           -- when a pending parameter policy next acts
    tags        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, region, name)
);
-- Recursive path reads are range scans on the primary key; one-level reads use this index.
CREATE INDEX ssm_parameters_parent ON ssm_parameters (account_id, region, parent_path, name);
CREATE INDEX ssm_parameters_due ON ssm_parameters (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE ssm_parameter_versions (
    account_id    TEXT COLLATE "C" NOT NULL,
    region        TEXT COLLATE "C" NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    version       BIGINT NOT NULL,
    value         TEXT COLLATE "C",
    wrapped_value BYTEA,
    doc           TEXT COLLATE "C" NOT NULL,   -- type, key, tier, description, pattern, policies, who and when
    PRIMARY KEY (account_id, region, name, version)
);

CREATE TABLE ssm_parameter_labels (
    account_id TEXT COLLATE "C" NOT NULL,
    region     TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    label      TEXT COLLATE "C" NOT NULL,
    version    BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, name, label)
);
