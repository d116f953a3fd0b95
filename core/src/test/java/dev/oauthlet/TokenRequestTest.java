package dev.oauthlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.client.ClientAuthentication;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenRequestTest {

    private static Map<String, List<String>> params(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return m;
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static ErrorCode refusal(Map<String, List<String>> params, String authorization) {
        return assertThrows(OAuthException.class, () -> TokenRequest.parse(params, authorization)).error();
    }

    @Test
    void parseWhenBasicThenClientSecretBasicAndCredentialsDecoded() {
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64, so '%3A' is a literal colon.
        TokenRequest r = TokenRequest.parse(params("grant_type", "client_credentials"), basic("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw%3A%2B"));
        ClientAuthentication.Basic b = assertInstanceOf(ClientAuthentication.Basic.class, r.clientAuthentication());
        assertEquals("s6BhdRkqt3", b.clientId());
        assertEquals("7Fjfp0ZBr1KtDRbnfVdmIw:+", b.secret());
        assertEquals("client_secret_basic", b.methodName());
    }

    @Test
    void parseWhenBodyCredentialsThenClientSecretPostAndRemovedFromParameters() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "client_credentials", "client_id", "a", "client_secret", "b", "scope", "x"), null);
        assertInstanceOf(ClientAuthentication.Post.class, r.clientAuthentication());
        assertEquals(Map.of("scope", "x"), r.parameters());
        assertFalse(r.toString().contains("b]"), "secrets never reach toString");
    }

    @Test
    void parseWhenOnlyClientIdThenPublicClient() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "refresh_token", "client_id", "app"), null);
        assertEquals(new ClientAuthentication.PublicClient("app"), r.clientAuthentication());
    }

    @Test
    void parseWhenGrantTypeMissingThenInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST, refusal(params("client_id", "a"), null));
    }

    @Test
    void parseWhenParameterRepeatedThenInvalidRequest() {
        OAuthException e = assertThrows(OAuthException.class,
                () -> TokenRequest.parse(params("grant_type", "client_credentials", "scope", "a", "scope", "b"), null));
        assertEquals(ErrorCode.INVALID_REQUEST, e.error());
        assertEquals("parameter 'scope' was sent more than once", e.description());
    }

    @Test
    void parseWhenGrantTypeRepeatedThenInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST,
                refusal(params("grant_type", "client_credentials", "grant_type", "password"), null));
    }

    @Test
    void parseWhenBasicAndBodySecretThenInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST,
                refusal(params("grant_type", "client_credentials", "client_id", "a", "client_secret", "b"), basic("a", "b")));
    }

    @Test
    void parseWhenBasicAndDifferentBodyClientIdThenInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST, refusal(params("grant_type", "client_credentials", "client_id", "other"), basic("a", "b")));
    }

    @Test
    void parseWhenBasicIsNotBase64ThenInvalidClient() {
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(params("grant_type", "client_credentials"), "Basic %%%"));
        assertEquals(ErrorCode.INVALID_CLIENT, refusal(params("grant_type", "client_credentials"),
                "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void parseWhenBearerAndBodySecretThenInvalidRequest() {
        assertEquals(ErrorCode.INVALID_REQUEST,
                refusal(params("grant_type", "refresh_token", "client_id", "a", "client_secret", "b"), "Bearer abc"));
    }

    @Test
    void parseWhenBearerAloneThenExpiredBearerAuthentication() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "refresh_token", "refresh_token", "r"), "Bearer abc.def.ghi");
        assertEquals(new ClientAuthentication.ExpiredBearer("abc.def.ghi"), r.clientAuthentication());
    }

    @Test
    void parseWhenEmptyValueThenTreatedAsOmitted() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "client_credentials", "scope", ""), null);
        assertEquals(Map.of(), r.parameters());
    }
}
