-- OpenID Connect acr and amr: how the user signed in (the class reference, and the methods such as
-- pwd, otp, mfa separated by spaces) travels with the code and with every refresh token of the family,
-- so the ID tokens of a grant, refreshed ones included, name the original sign-in (Core §2, §12.2).
ALTER TABLE oauthlet_authorization_code ADD COLUMN acr VARCHAR(200);
ALTER TABLE oauthlet_authorization_code ADD COLUMN amr VARCHAR(1000);
ALTER TABLE oauthlet_refresh_token ADD COLUMN acr VARCHAR(200);
ALTER TABLE oauthlet_refresh_token ADD COLUMN amr VARCHAR(1000);
