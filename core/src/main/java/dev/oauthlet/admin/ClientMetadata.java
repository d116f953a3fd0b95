package dev.oauthlet.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.OAuthException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client metadata of an RFC 7591 §2 registration request, parsed once and checked for form:
 * each member the server understands, with its RFC default when absent. Whether the values are
 * allowed is {@link DynamicRegistration}'s policy to judge. Members the server does not
 * understand are ignored, as RFC 7591 §2 requires, and are not registered.
 *
 * @param clientId      {@code client_id}, in a replacement (RFC 7592 §2.2) only; {@code null} when absent
 * @param clientSecret  {@code client_secret}, in a replacement only; {@code null} when absent
 * @param clientName    {@code client_name}, or {@code null}
 * @param redirectUris  {@code redirect_uris}, as given
 * @param grantTypes    {@code grant_types} (default {@code authorization_code})
 * @param responseTypes {@code response_types} (default {@code code} with the authorization code grant, else none)
 * @param authMethod    {@code token_endpoint_auth_method} (default {@code client_secret_basic})
 * @param scopes        {@code scope}, split at spaces; {@code null} when absent
 * @param jwks          {@code jwks}, as JSON text, or {@code null}
 * @param jwksUri       {@code jwks_uri}, or {@code null}
 * @param dpopBound     {@code dpop_bound_access_tokens} (RFC 9449 §5.2; default {@code false})
 * @param audience      {@code audience}, Oauthlet's extension: the default {@code aud}; or {@code null}
 * @param audiences     {@code audiences}, Oauthlet's extension: the RFC 8707 resources it may ask for; {@code null} when absent
 */
public record ClientMetadata(String clientId, String clientSecret, String clientName, List<String> redirectUris,
                             Set<String> grantTypes, Set<String> responseTypes, ClientAuthMethod authMethod, List<String> scopes,
                             String jwks, URI jwksUri, boolean dpopBound, String audience, List<String> audiences) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** The longest string member taken; a jwks may be longer. */
    private static final int MAX_STRING = 2000;
    private static final int MAX_LIST = 20;

    /**
     * Parses a registration request body.
     *
     * @throws OAuthException {@code invalid_client_metadata} for a body that is no JSON object, a member of the wrong
     *                        type, an unknown {@code token_endpoint_auth_method}, or an inconsistent combination
     */
    public static ClientMetadata parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw OAuthException.invalidClientMetadata("the body is not a JSON object");
        }
        if (root == null || !root.isObject()) {
            throw OAuthException.invalidClientMetadata("the body is not a JSON object");
        }
        List<String> grants = strings(root, "grant_types");
        Set<String> grantTypes = grants == null ? Set.of("authorization_code") : new LinkedHashSet<>(grants);
        List<String> responses = strings(root, "response_types");
        Set<String> responseTypes = responses != null ? new LinkedHashSet<>(responses)
                : grantTypes.contains("authorization_code") ? Set.of("code") : Set.of();
        String methodName = string(root, "token_endpoint_auth_method");
        ClientAuthMethod method = methodName == null ? ClientAuthMethod.CLIENT_SECRET_BASIC : ClientAuthMethod.fromWire(methodName);
        if (method == null) {
            throw OAuthException.invalidClientMetadata("token_endpoint_auth_method '" + OAuthException.echo(methodName)
                    + "' is not known (known: client_secret_basic, client_secret_post, private_key_jwt, none)");
        }
        String scope = string(root, "scope");
        List<String> scopes = null;
        if (scope != null) {
            scopes = new ArrayList<>();
            for (String s : scope.split(" ")) {
                if (s.isEmpty()) {
                    throw OAuthException.invalidClientMetadata("scope must be scope names separated by single spaces");
                }
                if (!scopes.contains(s)) {
                    scopes.add(s);
                }
            }
        }
        JsonNode jwksNode = root.get("jwks");
        String jwks = null;
        if (jwksNode != null && !jwksNode.isNull()) {
            if (!jwksNode.isObject() || !jwksNode.path("keys").isArray()) {
                throw OAuthException.invalidClientMetadata("jwks must be a JWK Set: an object with a keys array");
            }
            jwks = jwksNode.toString();
        }
        String jwksUriText = string(root, "jwks_uri");
        URI jwksUri = null;
        if (jwksUriText != null) {
            try {
                jwksUri = new URI(jwksUriText);
            } catch (java.net.URISyntaxException e) {
                throw OAuthException.invalidClientMetadata("jwks_uri is not a URI");
            }
        }
        if (jwks != null && jwksUri != null) {
            throw OAuthException.invalidClientMetadata("jwks and jwks_uri must not both be given (RFC 7591 2)");
        }
        JsonNode dpop = root.get("dpop_bound_access_tokens");
        if (dpop != null && !dpop.isNull() && !dpop.isBoolean()) {
            throw OAuthException.invalidClientMetadata("dpop_bound_access_tokens must be true or false");
        }
        List<String> redirectUris = strings(root, "redirect_uris");
        return new ClientMetadata(string(root, "client_id"), string(root, "client_secret"), string(root, "client_name"),
                redirectUris == null ? List.of() : redirectUris, grantTypes, responseTypes, method, scopes, jwks, jwksUri,
                dpop != null && dpop.asBoolean(), string(root, "audience"), strings(root, "audiences"));
    }

    /**
     * The registered metadata of {@code client}, as registration answers it: every member this
     * server registered, none it did not.
     */
    static ObjectNode of(ClientRegistration client) {
        ObjectNode m = JSON.createObjectNode();
        m.put("client_name", client.name());
        ArrayNode uris = m.putArray("redirect_uris");
        client.redirectUris().forEach(uris::add);
        ArrayNode grants = m.putArray("grant_types");
        client.grants().stream().sorted().forEach(grants::add);
        ArrayNode responses = m.putArray("response_types");
        if (client.allowsGrant("authorization_code")) {
            responses.add("code");
        }
        ClientAuthMethod method = client.keys().method() != null ? client.keys().method()
                : client.publicClient() ? ClientAuthMethod.NONE : ClientAuthMethod.CLIENT_SECRET_BASIC;
        m.put("token_endpoint_auth_method", method.wireName());
        m.put("scope", String.join(" ", client.scopes()));
        if (client.keys().jwks() != null) {
            try {
                m.set("jwks", JSON.readTree(client.keys().jwks()));
            } catch (IOException e) {
                throw new IllegalStateException("a stored jwks is not JSON", e);
            }
        }
        if (client.keys().jwksUri() != null) {
            m.put("jwks_uri", client.keys().jwksUri().toString());
        }
        m.put("dpop_bound_access_tokens", client.dpop() == dev.oauthlet.client.DpopMode.REQUIRED);
        m.put("audience", client.audience());
        ArrayNode audiences = m.putArray("audiences");
        client.audiences().forEach(audiences::add);
        return m;
    }

    /** {@code document} as JSON text. */
    static String write(ObjectNode document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new JSON object whose first members are {@code first}, in order, followed by {@code rest}'s. */
    static ObjectNode join(Map<String, Object> first, ObjectNode rest) {
        ObjectNode m = JSON.createObjectNode();
        first.forEach((k, v) -> {
            if (v instanceof Number n) {
                m.put(k, n.longValue());
            } else if (v != null) {
                m.put(k, v.toString());
            }
        });
        for (Iterator<Map.Entry<String, JsonNode>> it = rest.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.set(e.getKey(), e.getValue());
        }
        return m;
    }

    private static String string(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw OAuthException.invalidClientMetadata(name + " must be a string");
        }
        String s = v.asText();
        if (s.length() > MAX_STRING || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw OAuthException.invalidClientMetadata(name + " is longer than " + MAX_STRING + " characters or holds control characters");
        }
        return s;
    }

    private static List<String> strings(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() > MAX_LIST) {
            throw OAuthException.invalidClientMetadata(name + " must be an array of at most " + MAX_LIST + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            String s = e.isTextual() ? e.asText() : null;
            if (s == null || s.isEmpty() || s.length() > MAX_STRING || s.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw OAuthException.invalidClientMetadata(name + " must hold non-empty strings without spaces or control characters");
            }
            out.add(s);
        }
        return out;
    }
}
