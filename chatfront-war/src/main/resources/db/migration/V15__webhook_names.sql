-- A message posted through an incoming webhook (V10) shows the name it came under, marked "via
-- webhook": the payload's username, else the webhook's name, as it was when posted. Null for every
-- other message. Stored with the message, so history, search and live frames show the same.
ALTER TABLE message ADD COLUMN webhook_name text;
ALTER TABLE message ADD CONSTRAINT message_webhook_name_length
    CHECK (webhook_name IS NULL OR char_length(webhook_name) BETWEEN 1 AND 64);
