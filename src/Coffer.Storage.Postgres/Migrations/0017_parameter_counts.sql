-- How many parameters each account and Region has in each tier, kept by a trigger (issue 11). The
-- quota check that every new parameter makes counted a range of ssm_parameters_tier instead: with
-- 95,000 advanced parameters that took milliseconds of the write lock for each new one. Derived from
-- ssm_parameters: a restore does not load its rows (StoreExport.Derived), the trigger makes them again.
CREATE TABLE ssm_parameter_counts (
    account_id TEXT COLLATE "C" NOT NULL,
    region TEXT COLLATE "C" NOT NULL,
    tier TEXT COLLATE "C" NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, tier)
);
INSERT INTO ssm_parameter_counts (account_id, region, tier, count)
    SELECT account_id, region, tier, COUNT(*) FROM ssm_parameters GROUP BY account_id, region, tier;
CREATE FUNCTION ssm_parameters_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE ssm_parameter_counts SET count = count - 1
            WHERE account_id = OLD.account_id AND region = OLD.region AND tier = OLD.tier;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ssm_parameter_counts (account_id, region, tier, count) VALUES (NEW.account_id, NEW.region, NEW.tier, 1)
            ON CONFLICT (account_id, region, tier) DO UPDATE SET count = ssm_parameter_counts.count + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER ssm_parameters_counted AFTER INSERT OR DELETE ON ssm_parameters
    FOR EACH ROW EXECUTE FUNCTION ssm_parameters_count();
CREATE TRIGGER ssm_parameters_recounted AFTER UPDATE OF tier ON ssm_parameters
    FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION ssm_parameters_count();
