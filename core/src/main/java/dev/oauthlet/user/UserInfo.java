package dev.oauthlet.user;

import java.util.Map;

/**
 * A user's OpenID Connect claims (Core 1.0 §5.1), checked when made: strings, {@code email_verified}
 * and {@code phone_number_verified} booleans, {@code updated_at} seconds since the epoch, {@code address}
 * a map of its §5.1.1 members ({@link StandardClaims#problem}). The userinfo endpoint releases them by
 * scope (§5.4). What {@code users[].userinfo} holds, and what a {@link UserInfoSource} answers.
 *
 * @param claims the claims by name; {@code sub} is not one of them (it is the token's)
 */
public record UserInfo(Map<String, Object> claims) {

    /** @throws IllegalArgumentException naming the claim, for one that is not standard or not of its type */
    public UserInfo {
        claims = StandardClaims.checked(claims);
    }

    /** No claims: the userinfo endpoint answers {@code sub} alone. */
    public static UserInfo none() {
        return new UserInfo(Map.of());
    }
}
