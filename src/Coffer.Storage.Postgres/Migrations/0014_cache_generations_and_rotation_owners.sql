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

-- Rotations in flight: which node runs each, and when it last said it was still at it. The node
-- that runs scheduled work adopts a rotation whose owner has not heartbeat for longer than a bound
-- (its node died) and runs it again with the same ClientRequestToken.
CREATE TABLE rotations_in_flight (
    arn TEXT COLLATE "C" PRIMARY KEY,
    token TEXT COLLATE "C" NOT NULL,
    test_only BIGINT NOT NULL,
    owner TEXT COLLATE "C" NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
