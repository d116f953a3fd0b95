-- OpenID Connect. When the user signed in (auth_time, OpenID Connect Core §2) travels with the code
-- and with the refresh family, so every ID token of a grant names the original sign-in (Core §12.2);
-- the code also carries the authorization request's nonce, which its ID token echoes.
ALTER TABLE oauthlet_authorization_code ADD COLUMN auth_time BIGINT;
ALTER TABLE oauthlet_authorization_code ADD COLUMN nonce VARCHAR(500);
ALTER TABLE oauthlet_refresh_token ADD COLUMN auth_time BIGINT;

-- A client that requires a nonce in every authorization request, and where RP-initiated logout may
-- send the browser back to (space-delimited, matched exactly).
ALTER TABLE oauthlet_client ADD COLUMN require_nonce BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE oauthlet_client ADD COLUMN post_logout_redirect_uris VARCHAR(8000) DEFAULT '' NOT NULL;

-- A user's stable subject (sub, never reassigned; the username unless users[].subject says otherwise)
-- and the OpenID Connect claims the userinfo endpoint releases (a JSON object).
ALTER TABLE oauthlet_user ADD COLUMN subject VARCHAR(200);
UPDATE oauthlet_user SET subject = username;
CREATE UNIQUE INDEX oauthlet_user_subject ON oauthlet_user (subject);
ALTER TABLE oauthlet_user ADD COLUMN userinfo VARCHAR(16000);
