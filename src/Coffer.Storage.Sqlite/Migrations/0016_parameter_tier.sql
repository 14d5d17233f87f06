-- Each parameter's tier (its current version's) as a column of its own (issue 11). The quota check
-- that every new parameter makes counted the current versions' documents, parsing each one's JSON
-- on the single writer: creating the 50,000th parameter read 50,000 documents while every audited
-- read waited behind it. It now counts a range of this index.
ALTER TABLE ssm_parameters ADD COLUMN tier TEXT NOT NULL DEFAULT 'Standard';
UPDATE ssm_parameters SET tier = COALESCE((
    SELECT v.doc ->> '$.Tier' FROM ssm_parameter_versions v
    WHERE v.account_id = ssm_parameters.account_id AND v.region = ssm_parameters.region
      AND v.name = ssm_parameters.name AND v.version = ssm_parameters.version), 'Standard');
CREATE INDEX ssm_parameters_tier ON ssm_parameters (account_id, region, tier);
