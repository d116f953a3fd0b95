package dev.oauthlet.config;

import dev.oauthlet.TestServers;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration keys of the grants: token spellings, lifetimes, rotation, per-client opt-ins, users. */
class ConfigLoaderGrantSettingsTest {

    private static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class, () -> TestServers.config(yaml));
    }

    @Test
    void loadWhenNoTokensSectionThenDefaults() {
        TokensConfig p = TestServers.config("audiences: [api]\n").tokens();
        assertEquals("Bearer", p.tokenType());
        assertEquals(" ", p.scopeSeparator());
        assertEquals(Duration.ofSeconds(10), p.refreshReuseGrace());
        assertEquals(RefreshRotation.ROTATE, p.refreshRotation());
        assertEquals(ErrorCode.INVALID_TOKEN, p.expiredTokenError());
        assertEquals(Duration.ofDays(90), p.refreshTokenMaxLifetime());
    }

    @Test
    void loadWhenMaxLifetimeShorterThanTheRefreshTokenTtlThenRefusedNamingBoth() {
        var e = refused("tokens: {refresh-token-ttl: 30d, refresh-token-max-lifetime: 7d}\n");
        assertEquals("test.yml: tokens.refresh-token-max-lifetime: is shorter than refresh-token-ttl (30d): a family must outlive"
                + " its first token; raise it or lower refresh-token-ttl", e.getMessage());
    }

    @Test
    void loadWhenIntrospectAudiencesGivenThenKeptPerClientAndUnknownOnesRefused() {
        OauthletConfig c = TestServers.config("""
                audiences: [api, billing]
                clients:
                  - id: rs
                    secret: s
                    grants: [client_credentials]
                    audience: api
                    introspect-audiences: [api, billing]
                """);
        assertEquals(java.util.Set.of("api", "billing"), c.introspectAudiences("rs"));
        assertEquals(java.util.Set.of(), c.introspectAudiences("someone-else"));
        var e = refused("""
                audiences: [api]
                clients:
                  - id: rs
                    secret: s
                    grants: [client_credentials]
                    introspect-audiences: [apii]
                """);
        assertEquals("test.yml: clients[0].introspect-audiences[0]: unknown audience 'apii' (known: api)", e.getMessage());
    }

    @Test
    void loadWhenPublicClientKeepsItsRefreshTokenThenRefused() {
        var e = refused("""
                audiences: [api]
                clients:
                  - id: app
                    public: true
                    grants: [password, refresh_token]
                    refresh-token-rotation: keep
                """);
        assertEquals("test.yml: clients[0]: refresh-token-rotation: keep is refused for public client 'app': its refresh token would"
                + " be a bearer credential that never changes (RFC 9700 4.14.2); use rotate", e.getMessage());
    }

    @Test
    void loadWhenPublicClientWouldInheritKeepThenRefusedNamingTheFix() {
        var e = refused("""
                audiences: [api]
                tokens: {refresh-token-rotation: keep}
                clients:
                  - id: confidential
                    secret: s
                    grants: [password, refresh_token]
                  - id: app
                    public: true
                    grants: [password, refresh_token]
                """);
        assertTrue(e.getMessage().startsWith("test.yml: clients[1]: public client 'app' would inherit tokens.refresh-token-rotation:"
                + " keep"), e.getMessage());
        TestServers.config("""
                audiences: [api]
                tokens: {refresh-token-rotation: keep}
                clients:
                  - id: app
                    public: true
                    grants: [password, refresh_token]
                    refresh-token-rotation: rotate
                """);
    }

    @Test
    void loadWhenSeedSpellingsThenKept() {
        TokensConfig p = TestServers.config("""
                tokens:
                  token-type: bearer
                  scope-separator: ", "
                  expired-token-error: auth_expired
                  refresh-token-ttl: 90d
                  refresh-token-rotation: keep
                """).tokens();
        assertEquals("bearer", p.tokenType());
        assertEquals(", ", p.scopeSeparator());
        assertEquals(ErrorCode.AUTH_EXPIRED, p.expiredTokenError());
        assertEquals(Duration.ofDays(90), p.refreshTokenTtl());
        assertEquals(RefreshRotation.KEEP, p.refreshRotation());
    }

    @Test
    void loadWhenTokenTypeIsNotBearerThenRefusedNamingTheKey() {
        var e = refused("tokens: {token-type: mac}\n");
        assertEquals("test.yml: tokens.token-type: 'mac' is not a spelling of Bearer (use Bearer or bearer)", e.getMessage());
    }

    @Test
    void loadWhenScopeSeparatorUnknownThenRefusedNamingTheKey() {
        var e = refused("tokens: {scope-separator: ';'}\n");
        assertTrue(e.getMessage().startsWith("test.yml: tokens.scope-separator: ';' is not one of"), e.getMessage());
    }

    @Test
    void loadWhenExpiredTokenErrorUnknownThenRefused() {
        var e = refused("tokens: {expired-token-error: token_expired}\n");
        assertTrue(e.getMessage().contains("tokens.expired-token-error"), e.getMessage());
    }

    @Test
    void loadWhenClientOptsInWithoutRefreshGrantThenRefusedNamingTheOptIn() {
        var e = refused("""
                audiences: [api]
                clients:
                  - id: c
                    secret: s
                    grants: [client_credentials]
                    refresh-token-for-client-credentials: true
                """);
        assertEquals("test.yml: clients[0].refresh-token-for-client-credentials: needs the refresh_token grant (add refresh_token to grants)",
                e.getMessage());
    }

    @Test
    void loadWhenPublicClientOptsIntoExpiredTokenAuthenticationThenRefused() {
        var e = refused("""
                audiences: [api]
                clients:
                  - id: c
                    public: true
                    grants: [password, refresh_token]
                    expired-token-authentication: true
                """);
        assertTrue(e.getMessage().startsWith("test.yml: clients[0].expired-token-authentication: only for confidential clients"), e.getMessage());
    }

    @Test
    void loadWhenClientScopesListedThenKeptInTheirOrder() {
        ClientRegistration c = TestServers.config("""
                audiences: [api]
                clients:
                  - id: c
                    secret: s
                    grants: [client_credentials]
                    scopes: [user, password, admin]
                    default-scopes: [user, password]
                """).clients().get(0);
        assertEquals(List.of("user", "password", "admin"), List.copyOf(c.scopes()));
        assertEquals(List.of("user", "password"), List.copyOf(c.defaultScopes()));
    }

    @Test
    void loadWhenUserClaimIsARegisteredClaimThenRefused() {
        var e = refused("""
                users:
                  - username: alice
                    password: pw
                    claims: {sub: admin}
                """);
        assertEquals("test.yml: users[0].claims.sub: 'sub' is set by the server itself and cannot be a user claim", e.getMessage());
    }

    @Test
    void loadWhenUserHasPlainPasswordThenOnlyItsHashIsKept() {
        var u = TestServers.config("""
                users:
                  - username: alice
                    password: plain-password
                    tenants: [{type: merchant, id: someMerchant}]
                """).users().get(0);
        assertTrue(u.passwordHash().startsWith("pbkdf2-sha256$"), u.passwordHash());
        assertTrue(!u.passwordHash().contains("plain-password"));
        assertEquals("someMerchant", u.tenants().get(0).id());
    }
}
