package dev.oauthlet.protocol;

import dev.oauthlet.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRequestTest {

    @Test
    void parseWhenParameterSentTwiceThenInvalidRequest() {
        var e = assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "client_credentials", "scope", "a", "scope", "b"), basic("c", "s")));
        assertTrue(e.description().contains("scope"), e.description());
    }

    @Test
    void parseWhenGrantTypeSentTwiceThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "password", "grant_type", "client_credentials"), null));
    }

    @Test
    void parseWhenBasicAndClientSecretThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "client_credentials", "client_id", "c", "client_secret", "s"), basic("c", "s")));
    }

    @Test
    void parseWhenBearerAndClientSecretThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "refresh_token", "refresh_token", "r", "client_id", "c", "client_secret", "s"), "Bearer x.y.z"));
    }

    @Test
    void parseWhenClientIdDiffersFromBasicThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "client_credentials", "client_id", "other"), basic("c", "s")));
    }

    @Test
    void parseWhenClientSecretWithoutClientIdThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "client_credentials", "client_secret", "s"), null));
    }

    @Test
    void parseWhenGrantTypeMissingThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(params("client_id", "c"), null));
    }

    @Test
    void parseWhenBasicIsNotBase64ThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> TokenRequest.parse(params("grant_type", "client_credentials"), "Basic %%%"));
    }

    @Test
    void parseWhenBasicHasNoColonThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> TokenRequest.parse(params("grant_type", "client_credentials"),
                "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())));
    }

    @Test
    void parseWhenUnknownAuthorizationSchemeThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> TokenRequest.parse(params("grant_type", "client_credentials"), "Digest abc"));
    }

    @Test
    void parseWhenBasicCredentialsAreFormEncodedThenDecoded() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "client_credentials"), basic("my client", "p@ss:word"));
        var auth = assertInstanceOf(ClientAuthentication.Basic.class, r.clientAuthentication());
        assertEquals("my client", auth.clientId());
        assertEquals("p@ss:word", auth.secret());
    }

    @Test
    void parseWhenSecretInBodyThenClientSecretPostAndCredentialsRemovedFromParameters() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "client_credentials", "client_id", "c", "client_secret", "s",
                "scope", "a"), null);
        assertInstanceOf(ClientAuthentication.Post.class, r.clientAuthentication());
        assertEquals(Map.of("scope", "a"), r.parameters());
    }

    @Test
    void parseWhenBearerThenExpiredBearerCarryingTheBodyClientId() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "refresh_token", "refresh_token", "r", "client_id", "c"), "Bearer a.b.c");
        var auth = assertInstanceOf(ClientAuthentication.ExpiredBearer.class, r.clientAuthentication());
        assertEquals("a.b.c", auth.accessToken());
        assertEquals("c", auth.clientId());
    }

    @Test
    void parseWhenOnlyClientIdThenPublicClient() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "password", "client_id", "app"), null);
        assertInstanceOf(ClientAuthentication.PublicClient.class, r.clientAuthentication());
    }

    @Test
    void parseWhenValueIsEmptyThenParameterTreatedAsOmitted() {
        TokenRequest r = TokenRequest.parse(params("grant_type", "client_credentials", "scope", ""), basic("c", "s"));
        assertNull(r.parameter("scope"));
        assertFalse(r.parameters().containsKey("scope"));
    }

    @Test
    void parseWithImpliedGrantTypeWhenGrantTypeOmittedThenImplied() {
        TokenRequest r = TokenRequest.parse(params("refresh_token", "r"), "Bearer a.b.c", "refresh_token");
        assertEquals("refresh_token", r.grantType());
    }

    @Test
    void parseWithImpliedGrantTypeWhenAnotherGrantTypeSentThenInvalidRequest() {
        assertRefused(ErrorCode.INVALID_REQUEST, () -> TokenRequest.parse(
                params("grant_type", "client_credentials"), "Bearer a.b.c", "refresh_token"));
    }

    @Test
    void toStringWhenSecretsPresentThenNeverShowsThem() {
        TokenRequest r = TokenRequest.parse(Map.of("grant_type", List.of("password"), "client_id", List.of("c"),
                "client_secret", List.of("top-secret"), "password", List.of("hunter2"), "username", List.of("u")), null);
        assertFalse(r.toString().contains("top-secret"));
        assertFalse(r.toString().contains("hunter2"));
    }
}
