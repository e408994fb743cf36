-- The contacts cache of POST /v1/contacts: the upstream's answer per
-- number, kept 7 days as the On-Prem reference describes
-- (https://developers.facebook.com/docs/whatsapp/api/contacts: "The results
-- are cached in the WhatsApp Business API client's database for 7 days").
-- Owned by runtime/store/contacts_store. The age rule is in the store's
-- statements (checked_at > now() - max_age); stale rows are overwritten by
-- the next check, and deleted by prune_contacts.
CREATE TABLE contacts (
  number     text PRIMARY KEY,            -- digits only
  status     text NOT NULL CHECK (status IN ('valid', 'invalid')),
  wa_id      text,                        -- set when valid
  checked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_checked_at ON contacts (checked_at);
