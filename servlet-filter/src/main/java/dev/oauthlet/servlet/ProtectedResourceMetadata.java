package dev.oauthlet.servlet;

import dev.oauthlet.protocol.Json;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An RFC 9728 protected-resource metadata document, and where it is found. The well-known location
 * is {@code /.well-known/oauth-protected-resource} followed by the resource URI's path, at the root of
 * the resource's host (§3.1); a filter in a web application at a context path serves it under that
 * context path instead, and its challenges point there (§5).
 *
 * @param resource             the resource identifier
 * @param authorizationServers the issuers whose tokens it accepts
 * @param scopes               the scopes its requests use; empty leaves {@code scopes_supported} out
 * @param bearerMethods        how it takes a token: {@code header}, {@code body}, {@code query}
 * @param dpopAlgorithms       the DPoP proof algorithms it verifies (RFC 9449); empty when it takes no DPoP
 * @param dpopRequired         whether it takes DPoP-bound tokens only
 */
record ProtectedResourceMetadata(String resource, List<String> authorizationServers, Set<String> scopes, List<String> bearerMethods,
                                 List<String> dpopAlgorithms, boolean dpopRequired) {

    /** The well-known prefix of RFC 9728 §3. */
    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    ProtectedResourceMetadata {
        authorizationServers = List.copyOf(authorizationServers);
        scopes = Set.copyOf(new java.util.LinkedHashSet<>(scopes));
        bearerMethods = List.copyOf(bearerMethods);
        dpopAlgorithms = List.copyOf(dpopAlgorithms);
    }

    /**
     * The document's path for {@code resource}, relative to the host's root: the well-known prefix,
     * then the resource's path without a terminating slash (RFC 9728 §3.1).
     */
    static String wellKnownPath(String resource) {
        String path = URI.create(resource).getRawPath();
        if (path == null) {
            path = "";
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return WELL_KNOWN + path;
    }

    /**
     * The URL of the document as served by a web application at {@code contextPath}: RFC 9728's
     * well-known URL when the context is the root, the same path under the context otherwise.
     */
    static String url(String resource, String contextPath) {
        URI u = URI.create(resource);
        return u.getScheme() + "://" + u.getRawAuthority() + (contextPath == null ? "" : contextPath) + wellKnownPath(resource);
    }

    String toJson() {
        List<String> sortedScopes = scopes.stream().sorted().toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", resource);
        m.put("authorization_servers", authorizationServers);
        if (!sortedScopes.isEmpty()) {
            m.put("scopes_supported", sortedScopes);
        }
        m.put("bearer_methods_supported", bearerMethods);
        // RFC 9728 §2; dpop_bound_access_tokens_required defaults to false, so it is written only when true.
        if (!dpopAlgorithms.isEmpty()) {
            m.put("dpop_signing_alg_values_supported", dpopAlgorithms);
        }
        if (dpopRequired) {
            m.put("dpop_bound_access_tokens_required", true);
        }
        return Json.write(m);
    }
}
