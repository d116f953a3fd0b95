-- Private signing keys sealed under the configured key-encryption key (AES-256-GCM; the sealed bytes,
-- base64, stay in private_key): the KEK's fingerprint beside each, so that a start with another KEK
-- can name the one the store wants. NULL: stored in plain, as before (no KEK configured, or not yet
-- encrypted; the next start with a KEK encrypts them in place).
ALTER TABLE oauthlet_signing_key ADD COLUMN kek_id VARCHAR(40);

-- A client_secret_jwt client's HMAC secret, sealed under the key-encryption key (kek id, then the
-- sealed bytes in base64url): HMAC needs the secret itself, and a hash cannot verify it. Only clients
-- stored through the administration API have one; the configuration file's stay in the file.
ALTER TABLE oauthlet_client ADD COLUMN sealed_secret VARCHAR(400);
