-- The jti of every DPoP proof and client assertion seen recently (hashed, with the key that
-- signed it), so a replay is refused on every node; purged once expired.
CREATE TABLE oauthlet_used_jti (
    jti_key    VARCHAR(100) PRIMARY KEY,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX oauthlet_used_jti_expires ON oauthlet_used_jti (expires_at);

-- How each client authenticates (RFC 7591 token_endpoint_auth_method; NULL: a secret in Basic or
-- the body, as before), its public keys for private_key_jwt, and whether its tokens are DPoP-bound.
-- A client_secret_jwt client's secret is never stored: the configuration holds it.
ALTER TABLE oauthlet_client ADD COLUMN auth_method VARCHAR(40);
ALTER TABLE oauthlet_client ADD COLUMN jwks VARCHAR(16000);
ALTER TABLE oauthlet_client ADD COLUMN jwks_uri VARCHAR(2000);
ALTER TABLE oauthlet_client ADD COLUMN dpop VARCHAR(10) DEFAULT 'OFF' NOT NULL;

-- A public client's refresh token bound to its DPoP key (RFC 9449 §5): the thumbprint a refresh must prove.
ALTER TABLE oauthlet_refresh_token ADD COLUMN dpop_jkt VARCHAR(100);

-- A code bound to a DPoP key by the authorization request's dpop_jkt (RFC 9449 §10).
ALTER TABLE oauthlet_authorization_code ADD COLUMN dpop_jkt VARCHAR(100);
