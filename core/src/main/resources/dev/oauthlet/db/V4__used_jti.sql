-- The jti of every DPoP proof and client assertion seen recently (hashed, with the key that
-- signed it), so a replay is refused on every node; purged once expired.
CREATE TABLE oauthlet_used_jti (
    jti_key    VARCHAR(100) PRIMARY KEY,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX oauthlet_used_jti_expires ON oauthlet_used_jti (expires_at);
