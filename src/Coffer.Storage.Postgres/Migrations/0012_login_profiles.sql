-- Login profiles: an IAM user's console password, as an Argon2id hash in the PHC string format
-- (never the password). One per user, keyed like iam_entities by the lower-cased user name;
-- user_id pins it to the user it was made for. Dates are Unix milliseconds.

CREATE TABLE iam_login_profiles (
    account_id     TEXT COLLATE "C" NOT NULL,
    name_key       TEXT COLLATE "C" NOT NULL,
    user_name      TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL,
    password_hash  TEXT COLLATE "C" NOT NULL,
    create_date    BIGINT NOT NULL,
    reset_required BIGINT NOT NULL,
    PRIMARY KEY (account_id, name_key)
);
