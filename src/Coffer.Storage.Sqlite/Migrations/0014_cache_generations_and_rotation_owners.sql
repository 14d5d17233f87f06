-- A generation per cached topic, for stores shared by several nodes (PostgreSQL, where a node reads
-- them at the start of each request). SQLite has one process, whose caches follow its writes as they
-- commit, so nothing here writes this table; it is kept so that both engines have the same schema.
CREATE TABLE cache_generations (
    topic TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);

-- Rotations in flight: which process runs each, and when it last said it was still at it. After a
-- restart, the rotations the previous process left are adopted once their heartbeat is older than
-- the bound, and run again with the same ClientRequestToken.
CREATE TABLE rotations_in_flight (
    arn TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    test_only INTEGER NOT NULL,
    owner TEXT NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
