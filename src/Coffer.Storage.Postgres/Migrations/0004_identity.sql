-- PostgreSQL translation of the SQLite store's migration of the same number (types: INTEGER is
-- BIGINT, BLOB is BYTEA, text compares bytewise with COLLATE "C" as SQLite does).
-- IAM: users, groups and roles (their inline policies inside doc), customer managed policies
-- (their versions inside doc), attachments and group membership. Names are unique per account
-- regardless of case (name_key is the lower-cased name), as in IAM. Access keys, including STS
-- session keys, are in access_keys (0001).

CREATE TABLE iam_entities (
    account_id TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,     -- User, Group, Role
    name_key   TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL UNIQUE,
    path       TEXT COLLATE "C" NOT NULL,
    doc        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, kind, name_key)
);

CREATE TABLE iam_policies (
    arn        TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    doc        TEXT COLLATE "C" NOT NULL,
    UNIQUE (account_id, name_key)
);

CREATE TABLE iam_attachments (
    account_id TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL,
    policy_arn TEXT COLLATE "C" NOT NULL,
    seq        BIGINT NOT NULL,
    PRIMARY KEY (account_id, kind, name_key, policy_arn)
);
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);

CREATE TABLE iam_group_members (
    account_id TEXT COLLATE "C" NOT NULL,
    group_key  TEXT COLLATE "C" NOT NULL,
    user_key   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (account_id, group_key, user_key)
);
CREATE INDEX iam_group_members_user ON iam_group_members (account_id, user_key);
