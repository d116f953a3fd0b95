package dev.oauthlet.user;

import java.util.Optional;

/**
 * Where the userinfo endpoint reads the OpenID Connect claims of users that Oauthlet's store does
 * not hold: those of an application's {@link UserAuthenticator} or
 * {@link dev.oauthlet.authorize.HostLogin}. Asked with the {@code sub} of each verified access token
 * whose scope includes {@code openid}; its claims are then released by the token's scopes (Core
 * §5.4), like {@code users[].userinfo}.
 *
 * <p>Given to {@code Oauthlet.builder().userInfoSource(...)}, or found through
 * {@link java.util.ServiceLoader} (one provider at most). Implementations must be thread-safe and
 * answer quickly: they run on every userinfo request.
 */
@FunctionalInterface
public interface UserInfoSource {

    /**
     * The claims of the user whose {@code sub} is {@code subject}; empty when this source does not
     * know the user, and then the store's {@code users[].userinfo} answers (or {@code sub} alone).
     * A {@link RuntimeException} is answered {@code 503 temporarily_unavailable} and logged.
     */
    Optional<UserInfo> userinfo(String subject);
}
