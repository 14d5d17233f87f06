-- Each parameter's tier (its current version's) as a column of its own (issue 11). The quota check
-- that every new parameter makes counted the current versions' documents, parsing each one's JSON
-- on the single writer: creating the 50,000th parameter read 50,000 documents while every audited
-- read waited behind it. It now counts a range of this index.
ALTER TABLE ssm_parameters ADD COLUMN tier TEXT COLLATE "C" NOT NULL DEFAULT 'Standard';
UPDATE ssm_parameters p SET tier = COALESCE(v.doc::json ->> 'Tier', 'Standard')
    FROM ssm_parameter_versions v
    WHERE v.account_id = p.account_id AND v.region = p.region AND v.name = p.name AND v.version = p.version;
CREATE INDEX ssm_parameters_tier ON ssm_parameters (account_id, region, tier);
