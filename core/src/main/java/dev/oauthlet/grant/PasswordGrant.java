package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserCredentials;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 6749 §4.3, Resource Owner Password Credentials: the user's username and password, checked
 * by the {@link dev.oauthlet.user.UserAuthenticator}. Further parameters (such as
 * {@code tenantType} and {@code tenantId}) reach the authenticator as attributes.
 *
 * <p>Each check reserves a failure first ({@link LoginThrottle}), in the counts the login page
 * shares; once a limit is used up, requests are refused with {@code 429} and {@code invalid_grant}
 * before the password is checked, until the window has passed.
 */
public final class PasswordGrant implements GrantHandler {

    public static final String TYPE = "password";

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public TokenResponse handle(GrantContext context, ClientRegistration client, TokenRequest request) {
        String username = request.requireParameter("username");
        String password = request.requireParameter("password");
        Set<String> scopes = context.scopes(request.parameter("scope"), client.scopes(), client.defaultScopes());
        List<String> audiences = GrantContext.audiences(client, request.resources());
        Map<String, String> attributes = new HashMap<>(request.parameters());
        attributes.remove("username");
        attributes.remove("password");
        attributes.remove("scope");
        LoginThrottle throttle = context.loginThrottle();
        LoginThrottle.Reservation reserved = throttle.reserve(username, request.remoteAddress());
        if (reserved == null) {
            throw new TooManyAttemptsException(ErrorCode.INVALID_GRANT,
                    "too many failed sign-ins for this user or from this address; try again later", throttle.retryAfter());
        }
        Optional<AuthenticatedUser> found;
        try {
            found = context.users().authenticate(new UserCredentials(username, password, attributes));
        } catch (RuntimeException e) {
            // Overload or an unreachable store says nothing about the password.
            reserved.cancelled();
            throw e;
        }
        if (found.isEmpty()) {
            reserved.failed();
            throw OAuthException.invalidGrant("the username or password is wrong");
        }
        reserved.succeeded();
        AuthenticatedUser user = found.get();
        String family = client.allowsGrant(RefreshTokenGrant.TYPE) ? GrantContext.newFamilyId() : null;
        var access = context.accessToken(client, TYPE, user.subject(), scopes, audiences, user.claims(), attributes,
                dev.oauthlet.crypto.Hashes.randomToken(16), family);
        String refresh = family != null ? context.newRefreshToken(client, user.subject(), scopes, audiences, user.claims(), family)
                : null;
        return context.response(access, refresh);
    }
}
