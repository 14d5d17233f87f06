-- PostgreSQL translation of the SQLite store's migration of the same number.
-- LookupEvents' index, by block (issue 11): one row per account, region, attribute, value and block
-- of 512 consecutive records, with a bitmap of the block's records that have the value and their
-- time span. It replaces the per-record index rows (audit_resources) and the audit_log indexes on
-- the lookup attributes other than event_id: a read's record was a dozen b-tree insertions, most of
-- the single writer's time. It is kept behind the chain, as audit_resources was since migration 13,
-- and starts empty: the writer indexes the whole log again from the records, and lookups read what
-- it has not reached yet from the records themselves.
CREATE TABLE audit_index (
    account_id TEXT COLLATE "C" NOT NULL,
    region     TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    value      TEXT COLLATE "C" NOT NULL,
    block      BIGINT NOT NULL,
    members    BYTEA NOT NULL,
    min_time   BIGINT NOT NULL,
    max_time   BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, kind, value, block)
);

-- Retention drops whole blocks.
CREATE INDEX audit_index_block ON audit_index (block);

DELETE FROM meta WHERE key = 'audit_resources_through';
INSERT INTO meta (key, value) VALUES ('audit_index_through', '0') ON CONFLICT (key) DO UPDATE SET value = excluded.value;

DROP TABLE audit_resources;
DROP INDEX audit_log_event_name;
DROP INDEX audit_log_event_source;
DROP INDEX audit_log_read_only;
DROP INDEX audit_log_username;
DROP INDEX audit_log_access_key;
