package dev.oauthlet.user;

import dev.oauthlet.client.Origin;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user of the built-in user store.
 *
 * @param username     the login name
 * @param passwordHash the password as a {@link dev.oauthlet.crypto.SecretHasher} hash
 * @param tenants      the tenants the user may act for; empty means the user has no tenant
 * @param claims       extra claims copied into the user's access tokens
 * @param origin       where the record came from; {@link Origin#FILE} records are the configuration's to change
 * @param subject      the {@code sub} of the user's tokens: stable, never reassigned; the username unless set otherwise
 * @param userinfo     the OpenID Connect claims the userinfo endpoint releases by scope ({@link StandardClaims}): strings,
 *                     booleans such as {@code email_verified}, {@code updated_at} as a number, {@code address} as an object
 */
public record UserAccount(String username, String passwordHash, List<Tenant> tenants, Map<String, String> claims, Origin origin,
                          String subject, Map<String, Object> userinfo) {
    public UserAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        tenants = List.copyOf(tenants);
        claims = Map.copyOf(claims);
        Objects.requireNonNull(origin, "origin");
        subject = subject == null || subject.isEmpty() ? username : subject;
        userinfo = userinfo == null ? Map.of() : StandardClaims.checked(userinfo);
    }

    /** A user whose subject is the username, without OpenID Connect claims. */
    public UserAccount(String username, String passwordHash, List<Tenant> tenants, Map<String, String> claims, Origin origin) {
        this(username, passwordHash, tenants, claims, origin, null, null);
    }

    /** A user created through the administration API ({@link Origin#ADMIN}). */
    public UserAccount(String username, String passwordHash, List<Tenant> tenants, Map<String, String> claims) {
        this(username, passwordHash, tenants, claims, Origin.ADMIN);
    }

    /** {@code true} when the configuration file declares this user, which then only the file may change. */
    public boolean declaredInFile() {
        return origin == Origin.FILE;
    }

    /** This user with {@code newPasswordHash}. */
    public UserAccount withPasswordHash(String newPasswordHash) {
        return new UserAccount(username, newPasswordHash, tenants, claims, origin, subject, userinfo);
    }
}
