-- The counts behind the login throttle and the registration limit (LoginThrottle,
-- RegistrationThrottle). Here, not in each instance's memory: every auth instance reads and adds to
-- the same count, so a guesser gains nothing by spreading attempts over instances, and a restart
-- forgets nothing. One row per bucket, e.g. 'login-account:ada', 'login-address:203.0.113.5',
-- 'registration-address:203.0.113.5'. A row counts until expires_at; reads ignore it after that,
-- and DatabaseThrottleCounts deletes such rows now and then.
CREATE TABLE throttle_count (
    bucket      text        PRIMARY KEY,
    count       integer     NOT NULL,
    first_at    timestamptz NOT NULL,  -- the first event counted since the count (re)started
    last_at     timestamptz NOT NULL,  -- the latest event counted
    expires_at  timestamptz NOT NULL
);

CREATE INDEX throttle_count_expires ON throttle_count (expires_at);
