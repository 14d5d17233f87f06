-- PostgreSQL translation of the SQLite store's migration of the same number (types: INTEGER is
-- BIGINT, BLOB is BYTEA, text compares bytewise with COLLATE "C" as SQLite does).
-- The audit chain is keyed from here on: each new record's link is an HMAC under a key derived
-- from the root key, and its head is anchored in audit.anchor outside the database.
-- Records already in the log keep their unkeyed SHA-256 links (they are not re-keyed: rewriting
-- history is what the chain exists to prevent); the first keyed link covers the last of them.
-- The meta keys are AuditChainKeeper.KeyedFromKey and AuditChainKeeper.UnanchoredKey.
INSERT INTO meta (key, value) SELECT 'audit_keyed_from', CAST(COALESCE(MAX(seq), 0) + 1 AS TEXT) FROM audit_log;

-- A database that already holds an account was made by an earlier version and has no anchor yet:
-- the first start anchors it (and records that it did). A fresh one is anchored by 'coffer init'.
INSERT INTO meta (key, value) SELECT 'audit_unanchored', '1' WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'account_id');
