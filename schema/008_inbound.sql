-- Inbound messages the coreapps received: the sender of each, so that
-- PUT /v1/messages/{id} (mark as read) can route to the sender's shard.
-- The On-Prem reference keeps inbound messages for 7 days and asks for
-- reads within that time (developers.facebook.com/docs/whatsapp/
-- on-premises/guides/mark-as-read); older rows are not found.
CREATE TABLE inbound_messages (
  id          text PRIMARY KEY,
  sender      text NOT NULL,
  shard_id    integer NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
