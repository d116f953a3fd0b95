-- The schema of a new store: what V1 to V11 build, one statement per table or index, so that a first
-- start creates it at once instead of running 60. Migrations.apply runs it on an empty
-- database and records versions 1 to 11; a database of an earlier version gets the V scripts instead.
-- It is never edited: a new version is a new V script, which runs after this on a new store too, and
-- MigrationsTest checks that this and the scripts build the same tables, columns, keys and indexes.
-- What each column means is in the script that added it.

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
    first_party                     BOOLEAN      NOT NULL,
    origin                          VARCHAR(20)  DEFAULT 'FILE' NOT NULL,
    audiences                       VARCHAR(8000) DEFAULT '' NOT NULL,
    auth_method                     VARCHAR(40),
    jwks                            VARCHAR(16000),
    jwks_uri                        VARCHAR(2000),
    dpop                            VARCHAR(10)  DEFAULT 'OFF' NOT NULL,
    sealed_secret                   VARCHAR(400),
    registration_token_hash         VARCHAR(100),
    require_nonce                   BOOLEAN      DEFAULT FALSE NOT NULL,
    post_logout_redirect_uris       VARCHAR(8000) DEFAULT '' NOT NULL
);

CREATE TABLE oauthlet_user (
    username       VARCHAR(200) PRIMARY KEY,
    password_hash  VARCHAR(200) NOT NULL,
    origin         VARCHAR(20)  DEFAULT 'FILE' NOT NULL,
    subject        VARCHAR(200),
    userinfo       VARCHAR(16000)
);

CREATE UNIQUE INDEX oauthlet_user_subject ON oauthlet_user (subject);

CREATE TABLE oauthlet_user_tenant (
    username     VARCHAR(200) NOT NULL,
    tenant_type  VARCHAR(200) NOT NULL,
    tenant_id    VARCHAR(200) NOT NULL,
    tenant_order INTEGER      DEFAULT 0 NOT NULL,
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
    sealed_successor  VARCHAR(200),
    audiences         VARCHAR(8000) DEFAULT '' NOT NULL,
    family_started_at BIGINT,
    dpop_jkt          VARCHAR(100),
    auth_time         BIGINT,
    acr               VARCHAR(200),
    amr               VARCHAR(1000)
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
    family_id              VARCHAR(64),
    audiences              VARCHAR(8000) DEFAULT '' NOT NULL,
    dpop_jkt               VARCHAR(100),
    auth_time              BIGINT,
    nonce                  VARCHAR(500),
    acr                    VARCHAR(200),
    amr                    VARCHAR(1000)
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
    published_until  BIGINT,
    active_from      BIGINT,
    kek_id           VARCHAR(40)
);

CREATE UNIQUE INDEX oauthlet_signing_key_active_from ON oauthlet_signing_key (active_from);

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

CREATE TABLE oauthlet_client_secret (
    client_id    VARCHAR(200) NOT NULL,
    hash         VARCHAR(200) NOT NULL,
    expires_at   BIGINT,
    secret_order INTEGER      NOT NULL,
    PRIMARY KEY (client_id, hash)
);

CREATE TABLE oauthlet_used_jti (
    jti_key    VARCHAR(100) PRIMARY KEY,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX oauthlet_used_jti_expires ON oauthlet_used_jti (expires_at);
