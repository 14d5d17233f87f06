-- Issue 13. Multi-Region KMS keys: a key id names one key in each Region it is replicated to (the
-- primary and its replicas share the id and the key material, and have their own state, policy,
-- aliases and grants), so a key record is keyed by key id and Region. The material stays keyed by
-- key id alone.

ALTER TABLE kms_keys DROP CONSTRAINT kms_keys_pkey;
ALTER TABLE kms_keys ADD PRIMARY KEY (key_id, region);

-- Parameter Store resource policies (PutResourcePolicy, parameter sharing): a JSON list of
-- {PolicyId, PolicyHash, Policy} on the parameter's row, read with it at no extra cost; NULL when none.
ALTER TABLE ssm_parameters ADD COLUMN resource_policies TEXT COLLATE "C";
