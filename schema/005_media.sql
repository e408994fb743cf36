-- Multiconnect schema, version 5: uploaded and received media, in the one
-- shared store so that every webapp and coreapp of the cluster reaches it
-- (the On-Prem product shared a media volume between its nodes).
--
-- Uploads expire 30 days after upload ("outgoing media is generally safe to
-- be removed past 30 days", developers.facebook.com/docs/whatsapp/api/media);
-- the store prunes expired rows, and reads never return one.
-- Whether the upstream holds a copy is not kept here: a coreapp remembers
-- per session what it uploaded, and the upstream takes a repeated upload
-- idempotently.
CREATE TABLE media (
  id          text PRIMARY KEY,
  mime_type   text NOT NULL,
  sha256      text NOT NULL,
  size        bigint NOT NULL CHECK (size >= 0),
  bytes       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

-- The pruner deletes by expiry.
CREATE INDEX media_expires_at ON media (expires_at);

-- The bytes are already compressed (images, video, audio) or are read
-- whole: keep them out of line without trying to compress them again.
ALTER TABLE media ALTER COLUMN bytes SET STORAGE EXTERNAL;
