-- A generation per cached topic, for stores shared by several nodes (PostgreSQL, where a node reads
-- them at the start of each request). SQLite has one process, whose caches follow its writes as they
-- commit, so nothing here writes this table; it is kept so that both engines have the same schema.
CREATE TABLE cache_generations (
    topic TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);
