-- Login profiles: an IAM user's console password, as an Argon2id hash in the PHC string format
-- (never the password). One per user, keyed like iam_entities by the lower-cased user name;
-- user_id pins it to the user it was made for. Dates are Unix milliseconds.

CREATE TABLE iam_login_profiles (
    account_id     TEXT NOT NULL,
    name_key       TEXT NOT NULL,
    user_name      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    create_date    INTEGER NOT NULL,
    reset_required INTEGER NOT NULL,
    PRIMARY KEY (account_id, name_key)
);
