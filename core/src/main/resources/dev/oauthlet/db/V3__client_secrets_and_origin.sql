-- Several secrets per client, each with an optional expiry (rotation with an overlap), and where
-- each client and user came from: FILE (the configuration declares it and owns it), ADMIN (the
-- command line or an embedding application) or REGISTRATION (RFC 7591). Every row written before
-- this version came from the file.
CREATE TABLE oauthlet_client_secret (
    client_id   VARCHAR(200) NOT NULL,
    hash        VARCHAR(200) NOT NULL,
    expires_at  BIGINT,
    secret_order INTEGER     NOT NULL,
    PRIMARY KEY (client_id, hash)
);
INSERT INTO oauthlet_client_secret (client_id, hash, expires_at, secret_order)
    SELECT id, secret_hash, NULL, 0 FROM oauthlet_client WHERE secret_hash IS NOT NULL;
-- secret_hash stays, holding the newest secret, so a node of the previous version that still runs
-- during a rolling upgrade keeps authenticating clients.
ALTER TABLE oauthlet_client ADD COLUMN origin VARCHAR(20) DEFAULT 'FILE' NOT NULL;
ALTER TABLE oauthlet_user ADD COLUMN origin VARCHAR(20) DEFAULT 'FILE' NOT NULL;
