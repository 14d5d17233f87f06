-- IAM: users, groups and roles (their inline policies inside doc), customer managed policies
-- (their versions inside doc), attachments and group membership. Names are unique per account
-- regardless of case (name_key is the lower-cased name), as in IAM. Access keys, including STS
-- session keys, are in access_keys (0001).

CREATE TABLE iam_entities (
    account_id TEXT NOT NULL,
    kind       TEXT NOT NULL,     -- User, Group, Role
    name_key   TEXT NOT NULL,
    id         TEXT NOT NULL UNIQUE,
    path       TEXT NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, name_key)
) WITHOUT ROWID;

CREATE TABLE iam_policies (
    arn        TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    path       TEXT NOT NULL,
    doc        TEXT NOT NULL,
    UNIQUE (account_id, name_key)
) WITHOUT ROWID;

CREATE TABLE iam_attachments (
    account_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (account_id, kind, name_key, policy_arn)
) WITHOUT ROWID;
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);

CREATE TABLE iam_group_members (
    account_id TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    user_key   TEXT NOT NULL,
    PRIMARY KEY (account_id, group_key, user_key)
) WITHOUT ROWID;
CREATE INDEX iam_group_members_user ON iam_group_members (account_id, user_key);
