-- Retention moves audit records older than a setting to sealed archive segments and deletes them
-- here by sequence number; their lookup rows go with them, found by this index.
-- (The meta keys audit_archived_through and audit_archived_until say what has left the live log.)
CREATE INDEX audit_resources_seq ON audit_resources (seq);
