-- PostgreSQL translation of the SQLite store's migration of the same number.
-- CloudTrail's LookupEvents, answered from indexes: the lookup attributes of each audit record in
-- columns beside it (derived from its JSON, which alone the chain's MAC covers), and its resources'
-- names and types in their own table. Every index ends in event_time, then seq, so a lookup reads
-- one attribute value's records newest first and stops at the page size.
ALTER TABLE audit_log ADD COLUMN account_id TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN region TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN event_id TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN event_name TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN event_source TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN read_only BIGINT;
ALTER TABLE audit_log ADD COLUMN username TEXT COLLATE "C";
ALTER TABLE audit_log ADD COLUMN access_key_id TEXT COLLATE "C";

-- kind is 'name' (a resource's ARN, and its short name: key id, parameter or secret name) or 'type'.
CREATE TABLE audit_resources (
    kind       TEXT COLLATE "C" NOT NULL,
    value      TEXT COLLATE "C" NOT NULL,
    event_time BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (kind, value, event_time, seq)
);

-- Records written before this migration: their attributes from their JSON; their resources by ARN and type.
UPDATE audit_log SET
    account_id    = record::json ->> 'recipientAccountId',
    region        = record::json ->> 'awsRegion',
    event_id      = record::json ->> 'eventID',
    event_name    = record::json ->> 'eventName',
    event_source  = record::json ->> 'eventSource',
    read_only     = CASE WHEN (record::json ->> 'readOnly')::boolean THEN 1 ELSE 0 END,
    access_key_id = record::json #>> '{userIdentity,accessKeyId}',
    username      = CASE record::json #>> '{userIdentity,type}'
        WHEN 'IAMUser' THEN record::json #>> '{userIdentity,userName}'
        WHEN 'Root' THEN 'root'
        WHEN 'AssumedRole' THEN split_part(substring(record::json #>> '{userIdentity,arn}' FROM position('assumed-role/' IN record::json #>> '{userIdentity,arn}') + 13), '/', 2)
        ELSE record::json #>> '{userIdentity,principalId}'
    END;
INSERT INTO audit_resources (kind, value, event_time, seq)
    SELECT 'name', r.value ->> 'ARN', a.event_time, a.seq FROM audit_log a, json_array_elements(COALESCE(a.record::json -> 'resources', '[]')) r
    WHERE r.value ->> 'ARN' IS NOT NULL
    ON CONFLICT DO NOTHING;
INSERT INTO audit_resources (kind, value, event_time, seq)
    SELECT 'type', r.value ->> 'type', a.event_time, a.seq FROM audit_log a, json_array_elements(COALESCE(a.record::json -> 'resources', '[]')) r
    WHERE r.value ->> 'type' IS NOT NULL
    ON CONFLICT DO NOTHING;

CREATE INDEX audit_log_time ON audit_log (event_time);
CREATE INDEX audit_log_event_id ON audit_log (event_id, event_time);
CREATE INDEX audit_log_event_name ON audit_log (event_name, event_time);
CREATE INDEX audit_log_event_source ON audit_log (event_source, event_time);
CREATE INDEX audit_log_read_only ON audit_log (read_only, event_time);
CREATE INDEX audit_log_username ON audit_log (username, event_time);
CREATE INDEX audit_log_access_key ON audit_log (access_key_id, event_time);
