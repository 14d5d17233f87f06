-- CloudTrail's LookupEvents, answered from indexes: the lookup attributes of each audit record in
-- columns beside it (derived from its JSON, which alone the chain's MAC covers), and its resources'
-- names and types in their own table. Every index ends in event_time, then the rowid (seq), so a
-- lookup reads one attribute value's records newest first and stops at the page size.
ALTER TABLE audit_log ADD COLUMN account_id TEXT;
ALTER TABLE audit_log ADD COLUMN region TEXT;
ALTER TABLE audit_log ADD COLUMN event_id TEXT;
ALTER TABLE audit_log ADD COLUMN event_name TEXT;
ALTER TABLE audit_log ADD COLUMN event_source TEXT;
ALTER TABLE audit_log ADD COLUMN read_only INTEGER;
ALTER TABLE audit_log ADD COLUMN username TEXT;
ALTER TABLE audit_log ADD COLUMN access_key_id TEXT;

-- kind is 'name' (a resource's ARN, and its short name: key id, parameter or secret name) or 'type'.
CREATE TABLE audit_resources (
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    event_time INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (kind, value, event_time, seq)
) WITHOUT ROWID;

-- Records written before this migration: their attributes from their JSON; their resources by ARN and type.
UPDATE audit_log SET
    account_id    = json_extract(record, '$.recipientAccountId'),
    region        = json_extract(record, '$.awsRegion'),
    event_id      = json_extract(record, '$.eventID'),
    event_name    = json_extract(record, '$.eventName'),
    event_source  = json_extract(record, '$.eventSource'),
    read_only     = json_extract(record, '$.readOnly'),
    access_key_id = json_extract(record, '$.userIdentity.accessKeyId'),
    username      = CASE json_extract(record, '$.userIdentity.type')
        WHEN 'IAMUser' THEN json_extract(record, '$.userIdentity.userName')
        WHEN 'Root' THEN 'root'
        WHEN 'AssumedRole' THEN substr(
            substr(json_extract(record, '$.userIdentity.arn'), instr(json_extract(record, '$.userIdentity.arn'), 'assumed-role/') + 13),
            instr(substr(json_extract(record, '$.userIdentity.arn'), instr(json_extract(record, '$.userIdentity.arn'), 'assumed-role/') + 13), '/') + 1)
        ELSE json_extract(record, '$.userIdentity.principalId')
    END;
INSERT OR IGNORE INTO audit_resources (kind, value, event_time, seq)
    SELECT 'name', json_extract(r.value, '$.ARN'), a.event_time, a.seq FROM audit_log a, json_each(a.record, '$.resources') r;
INSERT OR IGNORE INTO audit_resources (kind, value, event_time, seq)
    SELECT 'type', json_extract(r.value, '$.type'), a.event_time, a.seq FROM audit_log a, json_each(a.record, '$.resources') r;

CREATE INDEX audit_log_time ON audit_log (event_time);
CREATE INDEX audit_log_event_id ON audit_log (event_id, event_time);
CREATE INDEX audit_log_event_name ON audit_log (event_name, event_time);
CREATE INDEX audit_log_event_source ON audit_log (event_source, event_time);
CREATE INDEX audit_log_read_only ON audit_log (read_only, event_time);
CREATE INDEX audit_log_username ON audit_log (username, event_time);
CREATE INDEX audit_log_access_key ON audit_log (access_key_id, event_time);
