-- RFC 8707 resource indicators: the audiences a client may select, and those a code or refresh token
-- was granted for, space-delimited in order (no audience contains a space). Rows written before this
-- version have none: their client's default audience, as then.
ALTER TABLE oauthlet_client ADD COLUMN audiences VARCHAR(8000) DEFAULT '' NOT NULL;
ALTER TABLE oauthlet_authorization_code ADD COLUMN audiences VARCHAR(8000) DEFAULT '' NOT NULL;
ALTER TABLE oauthlet_refresh_token ADD COLUMN audiences VARCHAR(8000) DEFAULT '' NOT NULL;
