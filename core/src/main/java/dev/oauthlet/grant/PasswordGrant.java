package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserCredentials;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 6749 §4.3, Resource Owner Password Credentials: the user's username and password, checked
 * by the {@link dev.oauthlet.user.UserAuthenticator}. Further parameters (such as
 * {@code tenantType} and {@code tenantId}) reach the authenticator as attributes.
 *
 * <p>Failures count against the username and the caller's address within {@code authorization:}'s
 * login limits, the same counts the login page keeps; once either is used up, requests are
 * refused before the password is checked, until the window has passed. A success clears the
 * username's count.
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
        Map<String, String> attributes = new HashMap<>(request.parameters());
        attributes.remove("username");
        attributes.remove("password");
        attributes.remove("scope");
        LoginThrottle throttle = context.loginThrottle();
        if (throttle.isLocked(username, request.remoteAddress())) {
            throw OAuthException.invalidGrant("too many failed sign-ins for this user or from this address; try again later");
        }
        Optional<AuthenticatedUser> found = context.users().authenticate(new UserCredentials(username, password, attributes));
        if (found.isEmpty()) {
            throttle.failed(username, request.remoteAddress());
            throw OAuthException.invalidGrant("the username or password is wrong");
        }
        throttle.succeeded(username);
        AuthenticatedUser user = found.get();
        var access = context.accessToken(client, TYPE, user.subject(), scopes, user.claims(), attributes);
        String refresh = client.allowsGrant(RefreshTokenGrant.TYPE)
                ? context.newRefreshToken(client, user.subject(), scopes, user.claims())
                : null;
        return context.response(access, refresh);
    }
}
