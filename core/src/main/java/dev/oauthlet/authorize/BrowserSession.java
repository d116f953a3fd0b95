package dev.oauthlet.authorize;

import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * What the browser's session cookie says: a CSRF token for the forms, and, once the user signed
 * in, who they are. The cookie is sealed by {@link SessionSealer}, so any node can read it and
 * nobody can forge or read it outside the server.
 *
 * @param id        identifies the session for its server-side end (logout); never shown in a page
 * @param csrfToken the token every form must carry back
 * @param user      the signed-in user; {@code null} before sign-in
 * @param expiresAt when the session ends
 * @param authTime  when the user signed in (OpenID Connect {@code auth_time}); {@code null} before sign-in
 * @param signIn    how the user signed in (OpenID Connect {@code acr}, {@code amr}); {@code null} takes {@link SignInContext#UNKNOWN}
 */
public record BrowserSession(String id, String csrfToken, AuthenticatedUser user, Instant expiresAt, Instant authTime,
                             SignInContext signIn) {

    public BrowserSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
        signIn = signIn == null ? SignInContext.UNKNOWN : signIn;
    }

    /** A session whose sign-in methods are not known. */
    public BrowserSession(String id, String csrfToken, AuthenticatedUser user, Instant expiresAt, Instant authTime) {
        this(id, csrfToken, user, expiresAt, authTime, null);
    }

    /** A session without a recorded sign-in time. */
    public BrowserSession(String id, String csrfToken, AuthenticatedUser user, Instant expiresAt) {
        this(id, csrfToken, user, expiresAt, null);
    }

    /** A session with a new CSRF token and nobody signed in. */
    public static BrowserSession anonymous(Instant expiresAt) {
        return new BrowserSession(Hashes.randomToken(16), Hashes.randomToken(32), null, expiresAt);
    }

    /**
     * A new session for {@code user}. Its id and CSRF token are new too, so whatever an attacker planted
     * before sign-in is worthless afterwards (session fixation).
     */
    public static BrowserSession signedIn(AuthenticatedUser user, Instant expiresAt) {
        return signedIn(user, null, expiresAt);
    }

    /** As {@link #signedIn(AuthenticatedUser, Instant)}, the user having signed in at {@code authTime}. */
    public static BrowserSession signedIn(AuthenticatedUser user, Instant authTime, Instant expiresAt) {
        return signedIn(user, authTime, null, expiresAt);
    }

    /** As {@link #signedIn(AuthenticatedUser, Instant, Instant)}, the user having signed in as {@code signIn} says. */
    public static BrowserSession signedIn(AuthenticatedUser user, Instant authTime, SignInContext signIn, Instant expiresAt) {
        return new BrowserSession(Hashes.randomToken(16), Hashes.randomToken(32), Objects.requireNonNull(user, "user"), expiresAt,
                authTime, signIn);
    }

    public boolean isSignedIn() {
        return user != null;
    }

    /** Compares a form's token with this session's in constant time. */
    public boolean acceptsCsrfToken(String presented) {
        return presented != null
                && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "BrowserSession[user=" + (user == null ? null : user.subject()) + ", expiresAt=" + expiresAt + "]";
    }
}
