-- EventBridge rules, their targets, connections and API destinations (each a JSON document keyed
-- by account, region and name), and delivery's dead letters. The delivery cursor lives in meta.
CREATE TABLE event_rules (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    name    TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    doc     TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
);

CREATE TABLE event_targets (
    rule_arn TEXT NOT NULL,
    id       TEXT NOT NULL,
    doc      TEXT NOT NULL,
    PRIMARY KEY (rule_arn, id)
);

CREATE TABLE event_connections (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    name    TEXT NOT NULL,
    doc     TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
);

CREATE TABLE event_api_destinations (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    name    TEXT NOT NULL,
    doc     TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
);

CREATE TABLE event_dead_letters (
    id         INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL,
    event_id   TEXT NOT NULL,
    rule_arn   TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    target_arn TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    failed_at  INTEGER NOT NULL,
    redrive    INTEGER NOT NULL DEFAULT 0
);
