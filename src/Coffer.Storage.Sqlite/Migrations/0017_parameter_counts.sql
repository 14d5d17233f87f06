-- How many parameters each account and Region has in each tier, kept by triggers (issue 11). The
-- quota check that every new parameter makes counted a range of ssm_parameters_tier instead: with
-- 95,000 advanced parameters that took about 6 ms of the single writer for each new one, so a store
-- of the issue's size took parameters at about 200 a second while every audited read waited behind
-- each count. Derived from ssm_parameters: a restore does not load its rows (StoreExport.Derived),
-- the triggers make them again.
CREATE TABLE ssm_parameter_counts (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    tier TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, tier)
) WITHOUT ROWID;
INSERT INTO ssm_parameter_counts (account_id, region, tier, count)
    SELECT account_id, region, tier, COUNT(*) FROM ssm_parameters GROUP BY account_id, region, tier;
CREATE TRIGGER ssm_parameters_counted AFTER INSERT ON ssm_parameters BEGIN
    INSERT INTO ssm_parameter_counts (account_id, region, tier, count) VALUES (new.account_id, new.region, new.tier, 1)
        ON CONFLICT (account_id, region, tier) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER ssm_parameters_uncounted AFTER DELETE ON ssm_parameters BEGIN
    UPDATE ssm_parameter_counts SET count = count - 1 WHERE account_id = old.account_id AND region = old.region AND tier = old.tier;
END;
CREATE TRIGGER ssm_parameters_recounted AFTER UPDATE OF tier ON ssm_parameters WHEN old.tier IS NOT new.tier BEGIN
    UPDATE ssm_parameter_counts SET count = count - 1 WHERE account_id = old.account_id AND region = old.region AND tier = old.tier;
    INSERT INTO ssm_parameter_counts (account_id, region, tier, count) VALUES (new.account_id, new.region, new.tier, 1)
        ON CONFLICT (account_id, region, tier) DO UPDATE SET count = count + 1;
END;
