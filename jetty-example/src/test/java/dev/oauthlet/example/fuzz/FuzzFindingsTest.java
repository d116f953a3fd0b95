package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cases {@link EndpointFuzzTest} has found, each shrunk by jqwik and kept here under its own
 * name, so that it runs on every build whatever the fuzzer's random draw.
 */
class FuzzFindingsTest {

    private static FuzzFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = FuzzFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /**
     * Found by the 100,000-request run (seed 8232236812448553862, shrunk in 2 steps):
     * {@code GET /.well-known/oauth-protected-resource/orders} with {@code Authorization: Bearer }
     * and a control character. RFC 9110 §5.5 makes such a field value invalid, and Jetty refuses
     * the whole message before any servlet sees it: the answer is the example's RFC 6749 JSON
     * {@code 400 invalid_request}, never a 5xx — and the document stays public for every field
     * value HTTP allows (tab, obs-text, UTF-8), whatever token it carries. (The fuzzer had expected
     * the document for any header; its rule now leaves invalid field values out of that.)
     */
    @Test
    void publicDocumentWhenAuthorizationHoldsControlCharacterThen400InvalidRequestJson() throws Exception {
        for (char c : new char[] {'\u0000', '\u0001', '\u0008', '\u001f', '\u007f'}) {
            RawHttp.Answer a = metadataWith("Bearer " + c);
            assertEquals(400, a.status(), () -> "control character " + (int) c + ": " + a);
            assertTrue(String.valueOf(a.header("content-type")).startsWith("application/json"), a::toString);
            assertEquals("invalid_request", FuzzFixture.JSON.readTree(a.body()).path("error").asText(), a::toString);
        }
        for (String value : List.of("Bearer \t", "Bearer \u0080", "Bearer \u00a0", "Bearer \u00e4", "Bearer \u20ac", "Bearer \ufffd")) {
            RawHttp.Answer a = metadataWith(value);
            assertEquals(200, a.status(), () -> "field value " + value.codePointAt(7) + ": " + a);
            JsonNode doc = FuzzFixture.JSON.readTree(a.body());
            assertEquals(FuzzFixture.RESOURCE_A, doc.path("resource").asText(), a::toString);
        }
    }

    /**
     * Found by a 3,000-request run (seed -824894585924642448, shrunk in 11 steps): a {@code POST
     * /oauth/logout} whose body held a genuine RP-initiated logout request (bob's ID token as
     * {@code id_token_hint}, the registered {@code post_logout_redirect_uri}, a {@code state}) but
     * was sent as {@code text/plain}, or with no {@code Content-Type}, was read as a form and
     * redirected. RP-Initiated Logout 1.0 §2 posts with Form Serialization; any other body is no
     * logout request and is not read. The same body as a form is still honoured.
     */
    @Test
    void logoutWhenRpRequestPostedAsTextPlainOrUntypedThenBodyNotReadAndNoRedirect() throws Exception {
        String body = "id_token_hint=" + java.net.URLEncoder.encode(fixture.idTokens.get(0), java.nio.charset.StandardCharsets.UTF_8)
                + "&post_logout_redirect_uri=" + java.net.URLEncoder.encode(FuzzFixture.POST_LOGOUT, java.nio.charset.StandardCharsets.UTF_8)
                + "&state=st-1";
        for (String type : new String[] {"text/plain", "application/json", null}) {
            List<Map.Entry<String, String>> headers = type == null ? List.of() : List.of(Map.entry("Content-Type", type));
            RawHttp.Answer a = RawHttp.send(fixture.port(), new FuzzRequest("POST", "/oauth/logout", headers,
                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false, "fuzz finding"));
            assertEquals(null, a.header("location"), () -> type + ": " + a);
        }
        RawHttp.Answer form = RawHttp.send(fixture.port(), new FuzzRequest("POST", "/oauth/logout",
                List.of(Map.entry("Content-Type", FuzzFixture.FORM)), body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false,
                "fuzz finding"));
        assertEquals(303, form.status(), form::toString);
        assertEquals(FuzzFixture.POST_LOGOUT + "?state=st-1", form.header("location"), form::toString);
    }

    private static RawHttp.Answer metadataWith(String authorization) throws Exception {
        return RawHttp.send(fixture.port(), FuzzRequest.get(FuzzFixture.METADATA_PATH, List.of(Map.entry("Authorization", authorization)),
                true, "fuzz finding"));
    }
}
