-- Oauthlet schema, version 1. Plain typed columns; tokens, codes and secrets only as hashes.
-- Instants are epoch milliseconds (BIGINT) so H2 and PostgreSQL agree without time-zone rules.
-- Scope sets and redirect-URI lists are space-delimited, as on the wire (neither can contain a space).

CREATE TABLE oauthlet_client (
    id                              VARCHAR(200) PRIMARY KEY,
    name                            VARCHAR(200) NOT NULL,
    secret_hash                     VARCHAR(200),
    public_client                   BOOLEAN      NOT NULL,
    grants                          VARCHAR(1000) NOT NULL,
    audience                        VARCHAR(200) NOT NULL,
    scopes                          VARCHAR(4000) NOT NULL,
    default_scopes                  VARCHAR(4000) NOT NULL,
    access_token_ttl_seconds        BIGINT,
    refresh_token_ttl_seconds       BIGINT,
    refresh_rotation                VARCHAR(10),
    refresh_for_client_credentials  BOOLEAN      NOT NULL,
    refresh_without_authentication  BOOLEAN      NOT NULL,
    expired_bearer_authentication   BOOLEAN      NOT NULL,
    redirect_uris                   VARCHAR(8000) NOT NULL,
    first_party                     BOOLEAN      NOT NULL
);

CREATE TABLE oauthlet_user (
    username       VARCHAR(200) PRIMARY KEY,
    password_hash  VARCHAR(200) NOT NULL
);

CREATE TABLE oauthlet_user_tenant (
    username     VARCHAR(200) NOT NULL,
    tenant_type  VARCHAR(200) NOT NULL,
    tenant_id    VARCHAR(200) NOT NULL,
    PRIMARY KEY (username, tenant_type, tenant_id)
);

CREATE TABLE oauthlet_user_claim (
    username  VARCHAR(200) NOT NULL,
    name      VARCHAR(200) NOT NULL,
    claim     VARCHAR(2000) NOT NULL,
    PRIMARY KEY (username, name)
);

CREATE TABLE oauthlet_refresh_token (
    hash              VARCHAR(64)  PRIMARY KEY,
    family_id         VARCHAR(64)  NOT NULL,
    client_id         VARCHAR(200) NOT NULL,
    subject           VARCHAR(200) NOT NULL,
    scopes            VARCHAR(4000) NOT NULL,
    issued_at         BIGINT       NOT NULL,
    expires_at        BIGINT       NOT NULL,
    state             VARCHAR(10)  NOT NULL,
    rotated_at        BIGINT,
    sealed_successor  VARCHAR(200)
);
CREATE INDEX oauthlet_refresh_token_family ON oauthlet_refresh_token (family_id);
CREATE INDEX oauthlet_refresh_token_expiry ON oauthlet_refresh_token (expires_at);

-- Claims shared by every token of a family (the user's tenant, ...), written once when the family starts.
CREATE TABLE oauthlet_refresh_claim (
    family_id  VARCHAR(64)  NOT NULL,
    name       VARCHAR(200) NOT NULL,
    claim      VARCHAR(2000) NOT NULL,
    PRIMARY KEY (family_id, name)
);

CREATE TABLE oauthlet_authorization_code (
    hash                   VARCHAR(64)  PRIMARY KEY,
    client_id              VARCHAR(200) NOT NULL,
    subject                VARCHAR(200) NOT NULL,
    redirect_uri           VARCHAR(2000),
    scopes                 VARCHAR(4000) NOT NULL,
    code_challenge         VARCHAR(200),
    code_challenge_method  VARCHAR(10),
    expires_at             BIGINT       NOT NULL,
    used                   BOOLEAN      NOT NULL,
    family_id              VARCHAR(64)
);
CREATE INDEX oauthlet_authorization_code_expiry ON oauthlet_authorization_code (expires_at);

CREATE TABLE oauthlet_code_claim (
    code_hash  VARCHAR(64)  NOT NULL,
    name       VARCHAR(200) NOT NULL,
    claim      VARCHAR(2000) NOT NULL,
    PRIMARY KEY (code_hash, name)
);

CREATE TABLE oauthlet_consent (
    subject    VARCHAR(200) NOT NULL,
    client_id  VARCHAR(200) NOT NULL,
    scopes     VARCHAR(4000) NOT NULL,
    PRIMARY KEY (subject, client_id)
);

CREATE TABLE oauthlet_signing_key (
    kid              VARCHAR(64) PRIMARY KEY,
    algorithm        VARCHAR(10) NOT NULL,
    private_key      VARCHAR(8000) NOT NULL,
    public_key       VARCHAR(8000),
    created_at       BIGINT NOT NULL,
    active_until     BIGINT,
    published_until  BIGINT
);

CREATE TABLE oauthlet_revoked_token (
    jti         VARCHAR(64) PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX oauthlet_revoked_token_expiry ON oauthlet_revoked_token (expires_at);

CREATE TABLE oauthlet_failure_counter (
    counter_key   VARCHAR(400) PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  BIGINT  NOT NULL
);
CREATE INDEX oauthlet_failure_counter_window ON oauthlet_failure_counter (window_start);
