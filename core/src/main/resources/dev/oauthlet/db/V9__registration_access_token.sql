-- The registration access token (RFC 7592) of a client that registered itself (RFC 7591), as its
-- SHA-256: it opens the client's registration URI (read, replace, delete). NULL for every other
-- client. It lives in the client's row, so it ends with the client.
ALTER TABLE oauthlet_client ADD COLUMN registration_token_hash VARCHAR(100);
