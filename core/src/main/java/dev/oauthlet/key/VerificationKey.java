package dev.oauthlet.key;

import java.security.Key;
import java.util.Objects;

/** A key that verifies signatures of one algorithm, by kid. */
public record VerificationKey(String kid, SigningAlgorithm algorithm, Key key) {
    public VerificationKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
    }
}
