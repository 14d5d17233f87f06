-- A generation per cached topic (StoreChange: credentials, identities, keys, parameters, secrets),
-- set in the same transaction as every change to the topic, to that transaction's id. A node reads
-- the table once at the start of each request and drops what it caches of a topic whose generation
-- is not the one it last saw, so a change through any node takes effect on the very next request
-- through every node. A table rather than a sequence: nextval is seen before the change commits, so a
-- reader could take the new generation, read the old rows and keep them as fresh.
CREATE TABLE cache_generations (
    topic TEXT COLLATE "C" PRIMARY KEY,
    generation BIGINT NOT NULL
);
