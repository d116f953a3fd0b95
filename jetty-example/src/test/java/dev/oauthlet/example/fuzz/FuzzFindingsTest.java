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

    private static RawHttp.Answer metadataWith(String authorization) throws Exception {
        return RawHttp.send(fixture.port(), FuzzRequest.get(FuzzFixture.METADATA_PATH, List.of(Map.entry("Authorization", authorization)),
                true, "fuzz finding"));
    }
}
