package dev.oauthlet.authorize;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.config.RedirectUris;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.grant.AuthorizationCodeGrant;
import dev.oauthlet.grant.TokenIssuance;
import dev.oauthlet.protocol.Pkce;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.protocol.ResourceIndicators;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An authorization request (RFC 6749 §4.1.1 with RFC 7636 PKCE), validated once at the edge.
 *
 * @param client              the registered client
 * @param redirectUri         where the response goes: the given {@code redirect_uri}, or the client's only one
 * @param redirectUriGiven    whether {@code redirect_uri} was in the request (then the token request must repeat it)
 * @param scopes              the scopes asked for, or the client's default scopes when none were named
 * @param state               {@code state}, returned unchanged; may be {@code null}
 * @param codeChallenge       the PKCE challenge; {@code null} without PKCE
 * @param codeChallengeMethod {@code S256} or {@code plain}; {@code null} without PKCE
 * @param parameters          the protocol parameters as received, to carry through the login and consent forms
 * @param resources           the RFC 8707 resources asked for, each one the client may have; empty: its default audience
 */
public record AuthorizationRequest(ClientRegistration client, String redirectUri, boolean redirectUriGiven, Set<String> scopes,
                                   String state, String codeChallenge, String codeChallengeMethod, Map<String, String> parameters,
                                   List<String> resources) {

    /** The parameters this endpoint understands, besides the repeatable {@code resource}; RFC 6749 §3.1 says to ignore all others. */
    public static final List<String> PARAMETERS = List.of("client_id", "response_type", "redirect_uri", "scope", "state",
            "code_challenge", "code_challenge_method", "dpop_jkt", "nonce", "prompt", "max_age", "login_hint", "id_token_hint",
            "acr_values");
    /** The {@code prompt} values of OpenID Connect Core §3.1.2.1 this endpoint honours. */
    public static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    /** The longest {@code nonce} kept with a code. */
    public static final int MAX_NONCE = 500;

    public AuthorizationRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = Set.copyOf(scopes);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** A request that names no resource. */
    public AuthorizationRequest(ClientRegistration client, String redirectUri, boolean redirectUriGiven, Set<String> scopes,
                                String state, String codeChallenge, String codeChallengeMethod, Map<String, String> parameters) {
        this(client, redirectUri, redirectUriGiven, scopes, state, codeChallenge, codeChallengeMethod, parameters, List.of());
    }

    /** The audiences its tokens are for: the resources asked for, or the client's default audience. */
    public List<String> audiences() {
        return resources.isEmpty() ? List.of(client.audience()) : resources;
    }

    /**
     * Validates raw request parameters.
     *
     * @throws AuthorizationException shown to the user for a missing or unknown client or a
     *                                redirect URI that is not registered; redirected for everything else
     */
    public static AuthorizationRequest parse(Map<String, List<String>> raw, ClientStore clients, AuthorizationConfig policy) {
        String clientId = single(raw, "client_id", null, null);
        if (clientId == null) {
            throw AuthorizationException.shownToUser(OAuthException.invalidRequest("client_id is missing"));
        }
        ClientRegistration client = clients.findById(clientId).orElseThrow(() -> AuthorizationException.shownToUser(
                OAuthException.invalidRequest("no application is registered with client_id '" + OAuthException.echo(clientId) + "'")));
        String given = single(raw, "redirect_uri", null, null);
        String redirectUri = redirectUri(client, given);

        String state = single(raw, "state", redirectUri, null);
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : PARAMETERS) {
            String v = single(raw, name, redirectUri, state);
            if (v != null) {
                params.put(name, v);
            }
        }
        String responseType = params.get("response_type");
        if (responseType == null) {
            throw redirected(OAuthException.invalidRequest("response_type is missing"), redirectUri, state);
        }
        if (!responseType.equals("code")) {
            throw redirected(new OAuthException(dev.oauthlet.error.ErrorCode.UNSUPPORTED_RESPONSE_TYPE,
                    "response_type '" + OAuthException.echo(responseType) + "' is not supported (use code)"), redirectUri, state);
        }
        if (!client.allowsGrant(AuthorizationCodeGrant.TYPE)) {
            throw redirected(OAuthException.unauthorizedClient("this client may not use the authorization code flow"), redirectUri, state);
        }
        Set<String> scopes;
        try {
            scopes = TokenIssuance.resolveScopes(params.get("scope"), client.scopes(), client.defaultScopes());
        } catch (OAuthException e) {
            throw redirected(e, redirectUri, state);
        }
        List<String> resources;
        try {
            resources = ResourceIndicators.values(raw).isEmpty() ? List.of()
                    : TokenIssuance.audiences(client, ResourceIndicators.values(raw));
        } catch (OAuthException e) {
            // RFC 8707 §2: invalid_target, redirected like every error once the redirect URI is trusted.
            throw redirected(e, redirectUri, state);
        }
        String challenge = params.get("code_challenge");
        String method = params.get("code_challenge_method");
        if (challenge == null) {
            if (method != null) {
                throw redirected(OAuthException.invalidRequest("code_challenge_method without code_challenge"), redirectUri, state);
            }
            if (client.publicClient() || policy.pkceRequired()) {
                throw redirected(OAuthException.invalidRequest("code_challenge is required (PKCE with S256, RFC 7636)"), redirectUri, state);
            }
        } else {
            // RFC 7636 §4.3: a challenge without a method is plain.
            method = method == null ? Pkce.PLAIN : method;
            if (method.equals(Pkce.PLAIN) && !policy.pkcePlainAllowed()) {
                throw redirected(OAuthException.invalidRequest("code_challenge_method plain is not allowed; use S256"), redirectUri, state);
            }
            if (!method.equals(Pkce.PLAIN) && !method.equals(Pkce.S256)) {
                throw redirected(OAuthException.invalidRequest("code_challenge_method '" + OAuthException.echo(method) + "' is not supported; use S256"),
                        redirectUri, state);
            }
            if (!Pkce.isValidChallenge(method, challenge)) {
                throw redirected(OAuthException.invalidRequest("code_challenge is malformed for method " + OAuthException.echo(method)), redirectUri, state);
            }
        }
        // OpenID Connect Core §3.1.2.1: nonce is optional in the code flow; a client may insist on it against replayed ID tokens.
        if (client.openId().requireNonce() && scopes.contains("openid") && params.get("nonce") == null) {
            throw redirected(OAuthException.invalidRequest("nonce is required for this client"), redirectUri, state);
        }
        if (params.get("nonce") != null && params.get("nonce").length() > MAX_NONCE) {
            throw redirected(OAuthException.invalidRequest("nonce is longer than " + MAX_NONCE + " characters"), redirectUri, state);
        }
        checkOpenIdParameters(params, redirectUri, state);
        String jkt = params.get("dpop_jkt");
        if (jkt != null && !jkt.matches("[A-Za-z0-9_-]{43}")) {
            // RFC 9449 §10: the base64url SHA-256 thumbprint (RFC 7638) of the key the code is to be bound to.
            throw redirected(OAuthException.invalidRequest("dpop_jkt is not a JWK SHA-256 thumbprint"), redirectUri, state);
        }
        return new AuthorizationRequest(client, redirectUri, given != null, scopes, state, challenge,
                challenge == null ? null : method, params, resources);
    }

    /**
     * RFC 6749 §3.1.2.3: the exact string of a registered URI, or the only one when it was
     * omitted; for a public client's loopback IP redirect URI, any port (RFC 8252 §7.3).
     */
    private static String redirectUri(ClientRegistration client, String given) {
        if (given != null) {
            // Registration already checks the scheme; the check here guards stores filled by other means.
            boolean registered = client.redirectUris().stream().anyMatch(r -> RedirectUris.matches(r, given, client.publicClient()));
            if (!registered || !RedirectUris.isAllowed(given)) {
                throw AuthorizationException.shownToUser(OAuthException.invalidRequest(
                        "redirect_uri is not registered for this application"));
            }
            return given;
        }
        if (client.redirectUris().size() != 1) {
            throw AuthorizationException.shownToUser(OAuthException.invalidRequest(client.redirectUris().isEmpty()
                    ? "this application has no redirect URI registered"
                    : "redirect_uri is missing, and this application registered more than one"));
        }
        String only = client.redirectUris().get(0);
        if (!RedirectUris.isAllowed(only)) {
            throw AuthorizationException.shownToUser(OAuthException.invalidRequest("redirect_uri is not registered for this application"));
        }
        return only;
    }

    /**
     * The parameter's one value, or {@code null}. Sent twice, it is {@code invalid_request}: shown
     * to the user while there is no trusted redirect URI yet, redirected once there is.
     */
    private static String single(Map<String, List<String>> raw, String name, String redirectUri, String state) {
        List<String> values = raw.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            OAuthException e = OAuthException.invalidRequest("parameter '" + OAuthException.echo(name) + "' was sent more than once");
            throw redirectUri == null ? AuthorizationException.shownToUser(e) : AuthorizationException.redirected(e, redirectUri, state);
        }
        String v = values.get(0);
        // RFC 6749 §3.1: parameters sent without a value are treated as omitted.
        return v == null || v.isEmpty() ? null : v;
    }

    private static AuthorizationException redirected(OAuthException e, String redirectUri, String state) {
        return AuthorizationException.redirected(e, redirectUri, state);
    }

    /**
     * OpenID Connect Core §3.1.2.1: {@code prompt} is a set of known values, {@code none} alone;
     * {@code max_age} a number of seconds; hints of bounded length.
     */
    private static void checkOpenIdParameters(Map<String, String> params, String redirectUri, String state) {
        String prompt = params.get("prompt");
        if (prompt != null) {
            Set<String> values = new java.util.HashSet<>(List.of(prompt.trim().split(" +")));
            for (String v : values) {
                if (!PROMPTS.contains(v)) {
                    throw redirected(OAuthException.invalidRequest("prompt '" + OAuthException.echo(v) + "' is not supported (use none, login, "
                            + "consent or select_account)"), redirectUri, state);
                }
            }
            if (values.contains("none") && values.size() > 1) {
                throw redirected(OAuthException.invalidRequest("prompt none cannot be combined with other values"), redirectUri, state);
            }
        }
        String maxAge = params.get("max_age");
        if (maxAge != null && !maxAge.matches("[0-9]{1,9}")) {
            throw redirected(OAuthException.invalidRequest("max_age must be a number of seconds"), redirectUri, state);
        }
        for (String hint : List.of("login_hint", "id_token_hint")) {
            if (params.get(hint) != null && params.get(hint).length() > 8192) {
                throw redirected(OAuthException.invalidRequest(hint + " is too long"), redirectUri, state);
            }
        }
        String acr = params.get("acr_values");
        if (acr != null && (acr.length() > 2000 || !acr.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw redirected(OAuthException.invalidRequest("acr_values must be at most 2000 printable ASCII characters"), redirectUri, state);
        }
    }

    /** The {@code prompt} values (OpenID Connect Core §3.1.2.1); empty without {@code prompt}. */
    public Set<String> prompts() {
        String prompt = parameters.get("prompt");
        return prompt == null || prompt.isBlank() ? Set.of() : Set.copyOf(List.of(prompt.trim().split(" +")));
    }

    /** {@code max_age} in seconds: the longest ago the user may have signed in; {@code null} without one. */
    public Long maxAge() {
        String v = parameters.get("max_age");
        return v == null ? null : Long.valueOf(v);
    }

    /** {@code login_hint}: the username to fill in; {@code null} without one. */
    public String loginHint() {
        return parameters.get("login_hint");
    }

    /**
     * {@code acr_values}, in the client's order of preference (Core §3.1.2.1): the {@code acr} asked
     * for as a voluntary claim. The ID token names the class the sign-in actually reached, whatever
     * was asked; a {@link HostLogin} or {@link SecondFactor} reads this to step up. Empty without one.
     */
    public List<String> acrValues() {
        String v = parameters.get("acr_values");
        return v == null || v.isBlank() ? List.of() : List.of(v.trim().split(" +"));
    }

    /** {@code id_token_hint}: an ID token naming the user the client expects; {@code null} without one. */
    public String idTokenHint() {
        return parameters.get("id_token_hint");
    }

    /**
     * This request as it continues after the user signed in: {@code prompt=login} and
     * {@code select_account} are satisfied, and so is {@code max_age}, so the endpoint does not ask again.
     */
    public AuthorizationRequest signedIn() {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.remove("max_age");
        Set<String> prompts = new java.util.TreeSet<>(prompts());
        prompts.remove("login");
        prompts.remove("select_account");
        if (prompts.isEmpty()) {
            p.remove("prompt");
        } else {
            p.put("prompt", String.join(" ", prompts));
        }
        return new AuthorizationRequest(client, redirectUri, redirectUriGiven, scopes, state, codeChallenge, codeChallengeMethod, p,
                resources);
    }

    /** The OpenID Connect {@code nonce} its ID token is to echo, or {@code null}. */
    public String nonce() {
        return parameters.get("nonce");
    }

    /**
     * The request as a query string again ({@code client_id=...&resource=...}), form-encoded: to
     * send the browser back to the endpoint with it after a sign-in.
     */
    public String query() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            appendQuery(sb, p.getKey(), p.getValue());
        }
        for (String r : resources) {
            appendQuery(sb, "resource", r);
        }
        return sb.toString();
    }

    private static void appendQuery(StringBuilder sb, String name, String value) {
        if (sb.length() > 0) {
            sb.append('&');
        }
        sb.append(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The DPoP key thumbprint the code is to be bound to ({@code dpop_jkt}, RFC 9449 §10), or {@code null}. */
    public String dpopJkt() {
        return parameters.get("dpop_jkt");
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[client=" + client.id() + ", redirectUri=" + redirectUri + ", scopes=" + scopes + ", resources=" + resources + "]";
    }
}
