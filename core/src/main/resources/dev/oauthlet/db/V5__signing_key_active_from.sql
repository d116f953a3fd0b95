-- When a key starts signing. Keys are published before they sign (KeyManager), and nodes agree on
-- one key per rotation period by inserting it with the period's start: the unique index lets one
-- insert win. Keys stored before this version have NULL here and sign from their created_at.
ALTER TABLE oauthlet_signing_key ADD COLUMN active_from BIGINT;
CREATE UNIQUE INDEX oauthlet_signing_key_active_from ON oauthlet_signing_key (active_from);
