-- Multiconnect schema, version 4: a message is stored as its whole On-Prem
-- message document (every member of the POST /v1/messages request but
-- `to`), so any message type survives a failover and reaches the upstream
-- as it was accepted. `payload` is text, not jsonb: jsonb reorders members
-- and the upstream must receive the accepted bytes.
--
-- Rows written before this version keep `body` and have no payload; the
-- store reads them as {"type":"text","text":{"body":<body>}}.
ALTER TABLE messages ADD COLUMN type text NOT NULL DEFAULT 'text';
ALTER TABLE messages ADD COLUMN payload text;
ALTER TABLE messages ALTER COLUMN body DROP NOT NULL;
ALTER TABLE messages ADD CONSTRAINT messages_payload_or_body
  CHECK (payload IS NOT NULL OR body IS NOT NULL);
