-- When each refresh-token family started, so that no successor outlives tokens.refresh-token-max-lifetime.
-- Rows written before this version have none: their family counts from the token's own issued_at.
ALTER TABLE oauthlet_refresh_token ADD COLUMN family_started_at BIGINT;
