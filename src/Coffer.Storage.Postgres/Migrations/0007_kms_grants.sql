-- PostgreSQL translation of the SQLite store's migration of the same number (types: INTEGER is
-- BIGINT, BLOB is BYTEA, text compares bytewise with COLLATE "C" as SQLite does).
-- KMS grants: one row per grant, its operations and constraints in doc. Found by key (ListGrants and
-- authorization when no policy allows), by retiring principal (ListRetirableGrants), and by id.

CREATE TABLE kms_grants (
    grant_id          TEXT COLLATE "C" PRIMARY KEY,
    key_id            TEXT COLLATE "C" NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL,
    region            TEXT COLLATE "C" NOT NULL,
    retiring_principal TEXT COLLATE "C",
    created_at        BIGINT NOT NULL,
    doc               TEXT COLLATE "C" NOT NULL
);
CREATE INDEX kms_grants_key ON kms_grants (key_id, created_at);
CREATE INDEX kms_grants_retiring ON kms_grants (account_id, region, retiring_principal, created_at) WHERE retiring_principal IS NOT NULL;
