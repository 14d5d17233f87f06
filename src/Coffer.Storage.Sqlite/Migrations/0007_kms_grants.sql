-- KMS grants: one row per grant, its operations and constraints in doc. Found by key (ListGrants and
-- authorization when no policy allows), by retiring principal (ListRetirableGrants), and by id.

CREATE TABLE kms_grants (
    grant_id          TEXT PRIMARY KEY,
    key_id            TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    region            TEXT NOT NULL,
    retiring_principal TEXT,
    created_at        INTEGER NOT NULL,
    doc               TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX kms_grants_key ON kms_grants (key_id, created_at);
CREATE INDEX kms_grants_retiring ON kms_grants (account_id, region, retiring_principal, created_at) WHERE retiring_principal IS NOT NULL;
