package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.internal.server.PasswordChecks;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 6749 §4.3, Resource Owner Password Credentials: the user's username and password, checked
 * by the {@link UserAuthenticator}. Further parameters (such as {@code tenantType} and
 * {@code tenantId}) reach the authenticator as attributes.
 *
 * <p>Each request reserves a failure first ({@link LoginThrottle}), in the counts the login page
 * shares; once a limit is used up, requests are refused with {@code 429} and {@code invalid_grant}
 * before the password is checked, until the window has passed. Concurrent requests with the same
 * credentials share one check ({@link PasswordChecks}).
 */
public final class PasswordGrant implements GrantHandler {

    public static final String TYPE = "password";

    /**
     * The parameters of RFC 6749 §4.3.2, with RFC 8707's resources.
     *
     * @param extensions every other parameter: the user authenticator's attributes and the customizers'
     * @throws OAuthException {@code invalid_request} when the username or the password is missing
     */
    public record Request(String username, String password, String scope, List<String> resources, Map<String, String> extensions) {

        public static Request of(TokenRequest request) {
            return new Request(request.requireParameter("username"), request.requireParameter("password"), request.parameter("scope"),
                    request.resources(), request.extensionParameters("username", "password"));
        }

        @Override
        public String toString() {
            return "PasswordGrant.Request[username=" + username + ", scope=" + scope + "]";
        }
    }

    private final PasswordChecks checks;

    /** @param throttle failed sign-ins per username and address, shared with the login page */
    public PasswordGrant(UserAuthenticator users, LoginThrottle throttle) {
        this.checks = new PasswordChecks(Objects.requireNonNull(users, "users"), Objects.requireNonNull(throttle, "throttle"));
    }

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest tokenRequest) {
        Request request = Request.of(tokenRequest);
        Set<String> scopes = issuance.scopes(request.scope(), client.scopes(), client.defaultScopes());
        List<String> audiences = TokenIssuance.audiences(client, request.resources());
        // Overload or an unreachable store says nothing about the password: those are rethrown, uncounted.
        PasswordChecks.Outcome outcome = checks.check(new UserCredentials(request.username(), request.password(), request.extensions()),
                tokenRequest.remoteAddress(), e -> false);
        if (outcome instanceof PasswordChecks.Outcome.Throttled) {
            throw new TooManyAttemptsException(ErrorCode.INVALID_GRANT,
                    "too many failed sign-ins for this user or from this address; try again later", checks.throttle().retryAfter());
        }
        if (!(outcome instanceof PasswordChecks.Outcome.SignedIn signedIn)) {
            throw OAuthException.invalidGrant("the username or password is wrong");
        }
        AuthenticatedUser user = signedIn.user();
        String family = client.allowsGrant(RefreshTokenGrant.TYPE) ? TokenIssuance.newFamilyId() : null;
        var access = issuance.accessToken(client, TYPE, user.subject(), scopes, audiences, user.claims(), request.extensions(),
                Hashes.randomToken(16), family);
        String refresh = family != null ? issuance.newRefreshToken(client, user.subject(), scopes, audiences, user.claims(), family)
                : null;
        return issuance.response(access, refresh);
    }
}
