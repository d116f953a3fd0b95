package dev.oauthlet.error;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.protocol.TokenRequest;
import org.junit.jupiter.api.Test;

class OAuthExceptionTest {

    /** RFC 6749 §5.2: error_description = 1*( %x20-21 / %x23-5B / %x5D-7E ). */
    private static void assertRfcSafe(String description) {
        for (char c : description.toCharArray()) {
            assertTrue(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\', "character " + (int) c + " in " + description);
        }
    }

    @Test
    void descriptionWhenItHoldsCrLfQuotesBackslashOrNonAsciiThenEachBecomesAQuestionMark() {
        OAuthException e = OAuthException.invalidRequest("a\r\nb\"c\\d\u00e9e\tf");
        assertEquals("a??b?c?d?e?f", e.description());
        assertEquals("invalid_request: a??b?c?d?e?f", e.getMessage());
    }

    @Test
    void descriptionWhenLongerThanTheCapThenCut() {
        OAuthException e = OAuthException.invalidRequest("x".repeat(1000));
        assertEquals(OAuthException.MAX_DESCRIPTION + 3, e.description().length());
        assertTrue(e.description().endsWith("..."));
    }

    @Test
    void echoWhenValueLongerThan40ThenCutWithEllipsis() {
        assertEquals("a".repeat(40) + "...", OAuthException.echo("a".repeat(41)));
        assertEquals("short", OAuthException.echo("short"));
        assertEquals("", OAuthException.echo(null));
    }

    @Test
    void tokenWhenUnsupportedGrantTypeCarriesCrLfAndIsLongThenDescriptionIsSafeAndShort() {
        try (Oauthlet server = TestServers.server("""
                audiences: [api]
                clients:
                  - id: c
                    secret: s
                    grants: [client_credentials]
                """, new MutableClock())) {
            String grant = "x\r\nSet-Cookie: evil=1\"" + "y".repeat(200);
            OAuthException e = assertRefused(ErrorCode.UNSUPPORTED_GRANT_TYPE,
                    () -> server.token(TokenRequest.parse(params("grant_type", grant), null)));
            assertRfcSafe(e.description());
            assertEquals("grant_type 'x??Set-Cookie: evil=1?yyyyyyyyyyyyyyyyyy...' is not supported", e.description());
        }
    }

    @Test
    void parseWhenDuplicateParameterNameIsHostileThenDescriptionIsSafeAndShort() {
        String name = "p\n" + "z".repeat(100);
        OAuthException e = assertRefused(ErrorCode.INVALID_REQUEST,
                () -> TokenRequest.parse(params("grant_type", "client_credentials", name, "1", name, "2"), null));
        assertRfcSafe(e.description());
        assertTrue(e.description().length() < 90, e.description());
    }
}
