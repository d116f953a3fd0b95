package dev.oauthlet.key;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The authorization server's keys: one signs, and every key whose tokens may still be alive
 * verifies and is published. {@link KeyManager} generates, stores and rotates keys;
 * {@link KeyFileKeys} serves keys an operator manages in a file.
 */
public interface SigningKeys extends KeyResolver {

    /** The key that signs now. */
    SigningKey current();

    /**
     * The signing key (private material included) with this kid while it is published: the
     * current one, or a retired one within its {@link #overlap()}. For what a key sealed while it
     * was current, e.g. browser sessions, which must still open after a rotation or on another node.
     */
    default Optional<SigningKey> publishedSigningKey(String kid) {
        SigningKey current = current();
        return current.kid().equals(kid) ? Optional.of(current) : Optional.empty();
    }

    /** The keys a verifier should trust now, current first. HMAC secrets are among them; never publish those. */
    List<VerificationKey> published();

    /**
     * How long a retired key stays published: the longest access-token lifetime plus the clock
     * skew. Caches of the JWKS must expire well within it.
     */
    Duration overlap();

    /**
     * Makes a new key sign at once; the old one keeps verifying, and stays published, for
     * {@link #overlap()}. Returns the new key's kid.
     *
     * @throws UnsupportedOperationException when keys come from a file the operator manages
     */
    String rotate();

    /**
     * How long a scheduled key is published before it signs; zero when keys do not rotate on a
     * schedule. Caches of the JWKS must expire well within it, so that every verifier knows a key
     * before the first token signed with it arrives.
     */
    default Duration publicationLead() {
        return Duration.ZERO;
    }
}
