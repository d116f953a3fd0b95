package dev.oauthlet.authorize;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.token.IdTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The logout endpoint's decisions ({@code endpoints.end-session}), OpenID Connect RP-Initiated
 * Logout 1.0 included: a relying party sends the browser here with {@code id_token_hint} (an ID
 * token this server issued, expired ones too), {@code post_logout_redirect_uri} and {@code state}.
 * The browser is sent back only to a URI that the client the hint names registered, exactly as
 * written ({@code clients[].post-logout-redirect-uris}); an unregistered one is an error page,
 * never a redirect. A hint naming the signed-in user signs out at once; without one, the user
 * confirms on a page whose form carries the session's CSRF token, so another site cannot sign anyone out.
 */
public final class EndSession {

    /** The parameters the endpoint reads (RP-Initiated Logout 1.0 §2); the confirmation form repeats them. */
    public static final List<String> PARAMETERS = List.of("id_token_hint", "post_logout_redirect_uri", "state", "client_id");

    private final Authorizer authorizer;
    private final IdTokens idTokens;
    private final ClientStore clients;

    public EndSession(Authorizer authorizer, IdTokens idTokens, ClientStore clients) {
        this.authorizer = authorizer;
        this.idTokens = idTokens;
        this.clients = clients;
    }

    /** What the endpoint answers. */
    public sealed interface Outcome {

        /** Ask the signed-in user to confirm, with {@code status} (403 when a confirmation carried a wrong CSRF token). */
        record Confirm(BrowserSession session, int status) implements Outcome {
            public Confirm {
                Objects.requireNonNull(session, "session");
            }
        }

        /**
         * Signed out: drop the cookie when {@code ended}, then send the browser to {@code redirect}
         * (the registered URI with {@code state}), or show the signed-out page when it is {@code null}.
         */
        record SignedOut(boolean ended, String redirect) implements Outcome {
        }

        /** The request is wrong: an error page, no redirect. */
        record Refused(OAuthException error) implements Outcome {
            public Refused {
                Objects.requireNonNull(error, "error");
            }
        }
    }

    /**
     * @param params       the query and form parameters
     * @param session      the browser's session, if its cookie opened one
     * @param confirmation the user's answer on the confirmation page (a form post); {@code false} for the relying party's request
     * @param csrfToken    the form's CSRF token, {@code null} without one
     */
    public Outcome decide(Map<String, List<String>> params, Optional<BrowserSession> session, boolean confirmation, String csrfToken) {
        String hintValue;
        String redirectUri;
        String state;
        String clientId;
        try {
            hintValue = single(params, "id_token_hint");
            redirectUri = single(params, "post_logout_redirect_uri");
            state = single(params, "state");
            clientId = single(params, "client_id");
        } catch (OAuthException e) {
            return new Outcome.Refused(e);
        }
        IdTokens.Hint hint = null;
        if (hintValue != null) {
            Optional<IdTokens.Hint> read = idTokens == null ? Optional.empty() : idTokens.readHint(hintValue);
            if (read.isEmpty()) {
                return new Outcome.Refused(OAuthException.invalidRequest("id_token_hint is not an ID token this server issued"));
            }
            hint = read.get();
        }
        if (clientId != null && hint != null && !clientId.equals(hint.clientId())) {
            return new Outcome.Refused(OAuthException.invalidRequest("client_id is not the client the id_token_hint was issued to"));
        }
        String redirect = null;
        if (redirectUri != null) {
            if (hint == null) {
                // §3: without a hint the URI cannot be tied to a client that registered it.
                return new Outcome.Refused(OAuthException.invalidRequest("post_logout_redirect_uri needs an id_token_hint"));
            }
            String uri = redirectUri;
            boolean registered = clients.findById(hint.clientId()).map(ClientRegistration::openId)
                    .filter(o -> o.postLogoutRedirectUris().contains(uri)).isPresent();
            if (!registered) {
                return new Outcome.Refused(OAuthException.invalidRequest("post_logout_redirect_uri is not registered for this application"));
            }
            redirect = state == null ? uri : uri + (uri.indexOf('?') < 0 ? '?' : '&') + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
        }
        Optional<BrowserSession> signedIn = session.filter(BrowserSession::isSignedIn);
        if (signedIn.isEmpty()) {
            return new Outcome.SignedOut(false, redirect);
        }
        BrowserSession s = signedIn.get();
        if (confirmation) {
            if (!s.acceptsCsrfToken(csrfToken)) {
                return new Outcome.Confirm(s, 403);
            }
        } else if (hint == null || !hint.subject().equals(s.user().subject())) {
            // No hint, or one for someone else: the user decides.
            return new Outcome.Confirm(s, 200);
        }
        authorizer.endSession(s);
        return new Outcome.SignedOut(true, redirect);
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw OAuthException.invalidRequest("parameter '" + name + "' was sent more than once");
        }
        return v.get(0) == null || v.get(0).isEmpty() ? null : v.get(0);
    }
}
