package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.user.UserAccount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenID Connect keys: users[].subject and userinfo, clients[].require-nonce and post-logout-redirect-uris, endpoints.userinfo. */
class OpenIdConfigTest {

    private static final String CLIENT = """
            issuer: https://auth.example.com
            audiences: [api]
            clients:
              - id: rp
                secret: rp-secret
                grants: [authorization_code]
                scopes: [openid, email]
                redirect-uris: [https://rp.example.com/cb]
            """;

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> TestConfigs.load(yaml)).getMessage();
    }

    @Test
    void loadWhenUserinfoTypedThenEachValueKeepsItsType() {
        UserAccount alice = TestConfigs.load(CLIENT + """
                users:
                  - username: alice
                    password: pw
                    subject: u-1001
                    userinfo:
                      email: alice@example.com
                      email_verified: true
                      updated_at: 1764547200
                      address: {locality: Oxford, country: GB}
                """).users().get(0);
        assertEquals("u-1001", alice.subject());
        assertEquals(Boolean.TRUE, alice.userinfo().get("email_verified"));
        assertEquals(1764547200L, alice.userinfo().get("updated_at"));
        assertEquals(Map.of("locality", "Oxford", "country", "GB"), alice.userinfo().get("address"));
    }

    @Test
    void loadWhenSubjectOmittedThenItIsTheUsername() {
        UserAccount bob = TestConfigs.load(CLIENT + "users:\n  - username: bob\n    password: pw\n").users().get(0);
        assertEquals("bob", bob.subject());
        assertTrue(bob.userinfo().isEmpty());
    }

    @Test
    void loadWhenUserinfoValueHasTheWrongTypeThenMessageNamesTheKeyPath() {
        String message = error(CLIENT + "users:\n  - username: a\n    password: pw\n    userinfo:\n      email_verified: \"yes\"\n");
        assertTrue(message.contains("users[0].userinfo.email_verified"), message);
        assertTrue(message.contains("must be true or false"), message);
    }

    @Test
    void loadWhenUserinfoClaimIsNotStandardThenRefusedWithTheKnownOnes() {
        String message = error(CLIENT + "users:\n  - username: a\n    password: pw\n    userinfo:\n      shoe_size: \"42\"\n");
        assertTrue(message.contains("'shoe_size' is not a standard claim"), message);
        assertTrue(message.contains("email_verified"), message);
    }

    @Test
    void loadWhenTwoUsersShareASubjectThenRefused() {
        String message = error(CLIENT + """
                users:
                  - username: alice
                    password: pw
                    subject: u-1
                  - username: u-1
                    password: pw
                """);
        assertTrue(message.contains("users[1]") && message.contains("subject 'u-1'"), message);
    }

    @Test
    void loadWhenClientOpenIdSettingsThenRead() {
        ClientRegistration rp = TestConfigs.load(CLIENT + """
                    require-nonce: true
                    post-logout-redirect-uris: [https://rp.example.com/signed-out]
                """).clients().get(0);
        assertTrue(rp.openId().requireNonce());
        assertEquals(List.of("https://rp.example.com/signed-out"), rp.openId().postLogoutRedirectUris());
        assertFalse(TestConfigs.load(CLIENT).clients().get(0).openId().requireNonce());
    }

    @Test
    void loadWhenPostLogoutUriIsPlainHttpElsewhereThenRefused() {
        String message = error(CLIENT + "    post-logout-redirect-uris: [http://rp.example.com/out]\n");
        assertTrue(message.contains("clients[0].post-logout-redirect-uris[0]"), message);
    }

    @Test
    void loadWhenRequireNonceWithoutTheCodeGrantThenRefused() {
        String message = error("""
                audiences: [api]
                clients:
                  - id: m
                    secret: s
                    grants: [client_credentials]
                    require-nonce: true
                """);
        assertTrue(message.contains("require-nonce") && message.contains("authorization_code"), message);
    }

    @Test
    void loadWhenUserinfoPathGivenThenUsed() {
        assertEquals("/connect/userinfo", TestConfigs.load(CLIENT + "endpoints:\n  userinfo: /connect/userinfo\n").endpoints().userinfo());
        assertEquals("/oauth/userinfo", TestConfigs.load(CLIENT).endpoints().userinfo());
    }
}
