-- LookupEvents' resource index is kept behind the audit chain from here on (issue 11): a record is
-- appended without its audit_resources rows, and the writer indexes records later, in batches,
-- moving this key to the last record it indexed. Every record already here was indexed as it was
-- appended, so the index starts at the head; a lookup reads the records after the key itself.
INSERT INTO meta (key, value) SELECT 'audit_resources_through', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM audit_log;

-- Retention finds a deleted record's index rows from the record itself; the index on seq that it
-- used was a second b-tree written for every index row of every read record.
DROP INDEX audit_resources_seq;
