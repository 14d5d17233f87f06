-- Issue 13. Multi-Region KMS keys: a key id names one key in each Region it is replicated to (the primary and
-- its replicas share the id and the key material, and have their own state, policy, aliases and
-- grants), so a key record is keyed by key id and Region. The material stays keyed by key id alone.
-- SQLite cannot change a primary key in place: the table is copied.

CREATE TABLE kms_keys_by_region (
    key_id     TEXT NOT NULL,
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    due_at     INTEGER,
    doc        TEXT NOT NULL,
    PRIMARY KEY (key_id, region)
) WITHOUT ROWID;
INSERT INTO kms_keys_by_region (key_id, account_id, region, due_at, doc)
    SELECT key_id, account_id, region, due_at, doc FROM kms_keys;
DROP TABLE kms_keys;
ALTER TABLE kms_keys_by_region RENAME TO kms_keys;
CREATE INDEX kms_keys_scope ON kms_keys (account_id, region, key_id);
CREATE INDEX kms_keys_due ON kms_keys (due_at) WHERE due_at IS NOT NULL;

-- Parameter Store resource policies (PutResourcePolicy, parameter sharing): a JSON list of
-- {PolicyId, PolicyHash, Policy} on the parameter's row, read with it at no extra cost; NULL when none.
ALTER TABLE ssm_parameters ADD COLUMN resource_policies TEXT;
