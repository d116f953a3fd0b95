package dev.oauthlet.protocol;

import dev.oauthlet.error.OAuthException;
import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A token request, parsed once at the edge: the grant type, how the client authenticated, and
 * the remaining parameters, each present at most once.
 *
 * @param grantType            {@code grant_type}
 * @param clientAuthentication the one client-authentication method used
 * @param parameters           every other parameter (client credentials removed)
 * @param remoteAddress        the caller's network address, which failure limits count by; {@code null} when unknown
 * @param resources            the RFC 8707 {@code resource} values, the one parameter that may be repeated; not in {@code parameters}
 * @param dpop                 the request's {@code DPoP} header, unverified; {@code null} when it has none
 */
public record TokenRequest(String grantType, ClientAuthentication clientAuthentication, Map<String, String> parameters,
                           String remoteAddress, List<String> resources, DpopHeader dpop) {

    /** The {@code client_assertion_type} of RFC 7523 §2.2. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public TokenRequest {
        Objects.requireNonNull(grantType, "grantType");
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** A request without DPoP. */
    public TokenRequest(String grantType, ClientAuthentication clientAuthentication, Map<String, String> parameters,
                        String remoteAddress, List<String> resources) {
        this(grantType, clientAuthentication, parameters, remoteAddress, resources, null);
    }

    /** A request that names no resource. */
    public TokenRequest(String grantType, ClientAuthentication clientAuthentication, Map<String, String> parameters,
                        String remoteAddress) {
        this(grantType, clientAuthentication, parameters, remoteAddress, List.of(), null);
    }

    /** A request whose caller's address is unknown, naming no resource. */
    public TokenRequest(String grantType, ClientAuthentication clientAuthentication, Map<String, String> parameters) {
        this(grantType, clientAuthentication, parameters, null, List.of(), null);
    }

    /** This request, from {@code address} (e.g. {@code ServletRequest.getRemoteAddr()}). */
    public TokenRequest withRemoteAddress(String address) {
        return new TokenRequest(grantType, clientAuthentication, parameters, address, resources, dpop);
    }

    /** This request, naming {@code values} as its RFC 8707 resources. */
    public TokenRequest withResources(List<String> values) {
        return new TokenRequest(grantType, clientAuthentication, parameters, remoteAddress, values, dpop);
    }

    /** This request with its {@code DPoP} header. */
    public TokenRequest withDpop(DpopHeader header) {
        return new TokenRequest(grantType, clientAuthentication, parameters, remoteAddress, resources, header);
    }

    /**
     * Parses raw request parameters and the {@code Authorization} header.
     *
     * @throws OAuthException {@code invalid_request} for a missing {@code grant_type}, a parameter
     *                        sent twice, or two client-authentication methods at once;
     *                        {@code invalid_client} for a malformed Basic header
     */
    public static TokenRequest parse(Map<String, List<String>> raw, String authorization) {
        Map<String, String> params = singleValued(withoutResources(raw));
        String grantType = params.remove("grant_type");
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is missing");
        }
        return new TokenRequest(grantType, clientAuthentication(params, authorization), params, null, ResourceIndicators.values(raw));
    }

    /**
     * Parses a request to an endpoint that serves one grant type only, such as a REST-style
     * refresh path whose body is just {@code {"refresh_token": "..."}}: {@code grant_type} may be
     * left out, but if it is sent it must be {@code grantType}.
     */
    public static TokenRequest parse(Map<String, List<String>> raw, String authorization, String grantType) {
        Map<String, String> params = singleValued(withoutResources(raw));
        String sent = params.remove("grant_type");
        if (sent != null && !sent.equals(grantType)) {
            throw OAuthException.invalidRequest("this endpoint only serves grant_type " + grantType);
        }
        return new TokenRequest(grantType, clientAuthentication(params, authorization), params, null, ResourceIndicators.values(raw));
    }

    private static Map<String, List<String>> withoutResources(Map<String, List<String>> raw) {
        if (!raw.containsKey(ResourceIndicators.PARAMETER)) {
            return raw;
        }
        Map<String, List<String>> rest = new LinkedHashMap<>(raw);
        rest.remove(ResourceIndicators.PARAMETER);
        return rest;
    }

    /**
     * Each parameter's one value; RFC 6749 §3.1 treats a parameter without a value as omitted.
     *
     * @throws OAuthException {@code invalid_request} naming a parameter sent more than once (§3.2)
     */
    static Map<String, String> singleValued(Map<String, List<String>> raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : raw.entrySet()) {
            List<String> values = e.getValue();
            if (values.size() > 1) {
                throw OAuthException.invalidRequest("parameter '" + OAuthException.echo(e.getKey()) + "' was sent more than once");
            }
            if (!values.isEmpty() && values.get(0) != null && !values.get(0).isEmpty()) {
                params.put(e.getKey(), values.get(0));
            }
        }
        return params;
    }

    /** Takes the client credentials out of {@code params} and says which one method they make. */
    static ClientAuthentication clientAuthentication(Map<String, String> params, String authorization) {
        String bodyId = params.remove("client_id");
        String bodySecret = params.remove("client_secret");
        String assertionType = params.remove("client_assertion_type");
        String assertion = params.remove("client_assertion");
        if (assertionType != null || assertion != null) {
            if (!JWT_BEARER.equals(assertionType)) {
                throw OAuthException.invalidRequest(assertionType == null ? "client_assertion without client_assertion_type"
                        : "client_assertion_type must be " + JWT_BEARER);
            }
            if (assertion == null) {
                throw OAuthException.invalidRequest("client_assertion is missing");
            }
            if (bodySecret != null || (authorization != null && !authorization.isBlank())) {
                throw OAuthException.invalidRequest("the client authenticated twice (an assertion and a secret); use one method");
            }
            return new ClientAuthentication.JwtAssertion(bodyId, assertion);
        }
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split(" +", 2);
            String scheme = parts[0];
            String credentials = parts.length > 1 ? parts[1].trim() : "";
            if (scheme.equalsIgnoreCase("Basic")) {
                if (bodySecret != null) {
                    throw OAuthException.invalidRequest("the client authenticated twice (Basic and client_secret); use one method");
                }
                ClientAuthentication.Basic basic = decodeBasic(credentials);
                if (bodyId != null && !bodyId.equals(basic.clientId())) {
                    throw OAuthException.invalidRequest("client_id does not match the Basic credentials");
                }
                return basic;
            }
            if (scheme.equalsIgnoreCase("Bearer") && !credentials.isEmpty()) {
                if (bodySecret != null) {
                    throw OAuthException.invalidRequest("the client authenticated twice (Bearer and client_secret); use one method");
                }
                return new ClientAuthentication.ExpiredBearer(credentials, bodyId);
            }
            throw OAuthException.invalidClient("unsupported Authorization scheme (use Basic, or client_id and client_secret)");
        }
        if (bodySecret != null) {
            if (bodyId == null) {
                throw OAuthException.invalidRequest("client_secret without client_id");
            }
            return new ClientAuthentication.Post(bodyId, bodySecret);
        }
        if (bodyId != null) {
            return new ClientAuthentication.PublicClient(bodyId);
        }
        return new ClientAuthentication.None();
    }

    private static ClientAuthentication.Basic decodeBasic(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthException.invalidClient("malformed Basic credentials");
        }
        try {
            // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined.
            return new ClientAuthentication.Basic(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("malformed Basic credentials");
        }
    }

    /** The parameter, or {@code null}. */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /**
     * The parameters the grant does not define, in one shared way for every grant: all of them but
     * {@code scope} and {@code grantParameters}. RFC 6749 §3.2 has a server ignore parameters it does
     * not recognise; these reach only the extensions that may (a {@code TokenCustomizer}, a tenant
     * handed to the user authenticator), never a grant's own logic.
     */
    public Map<String, String> extensionParameters(String... grantParameters) {
        Map<String, String> rest = new LinkedHashMap<>(parameters);
        rest.remove("scope");
        for (String p : grantParameters) {
            rest.remove(p);
        }
        return Collections.unmodifiableMap(rest);
    }

    /** The parameter; {@code invalid_request} naming it when it is missing. */
    public String requireParameter(String name) {
        return require(parameters, name);
    }

    static String require(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            throw OAuthException.invalidRequest(name + " is missing");
        }
        return v;
    }

    @Override
    public String toString() {
        return "TokenRequest[grantType=" + grantType + ", client=" + clientAuthentication + ", parameters=" + parameters.keySet()
                + ", resources=" + resources + ", from=" + remoteAddress + (dpop == null ? "" : ", dpop") + "]";
    }
}
