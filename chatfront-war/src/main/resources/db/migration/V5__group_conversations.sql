-- Group conversations: a direct conversation of three to eight people (the one who starts it and
-- two to seven others), like Slack's group DMs. It is a room of visibility 'direct' with a fixed
-- set of members, found by that set: starting one with the same people opens the one there is.
-- (Two people keep their direct_room row of V1.)
CREATE TABLE direct_group (
    -- The members' chat_user ids in ascending order, comma-separated: one key per set of people.
    member_key text   PRIMARY KEY,
    room_id    bigint NOT NULL UNIQUE REFERENCES room (id),
    CONSTRAINT direct_group_member_key_form CHECK (member_key ~ '^[0-9]+(,[0-9]+){2,7}$')
);
