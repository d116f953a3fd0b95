package dev.oauthlet.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured key-encryption keys: the current one, which seals everything written, and
 * earlier ones ({@code signing.previous-key-encryption-keys}), which only open what they sealed
 * until the start re-encrypts it under the current one.
 *
 * @param current  seals and opens; {@code null} when none is configured (values are then stored in plain)
 * @param previous open only; empty unless a KEK is being rotated
 */
public record KeyEncryptionKeys(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {

    private static final KeyEncryptionKeys NONE = new KeyEncryptionKeys(null, List.of());

    public KeyEncryptionKeys {
        previous = List.copyOf(previous);
        if (current == null && !previous.isEmpty()) {
            throw new IllegalArgumentException("previous-key-encryption-keys: only with key-encryption-key, the key they are "
                    + "re-encrypted under");
        }
        List<String> ids = new ArrayList<>();
        for (KeyEncryptionKey k : previous) {
            if (k.id().equals(current.id()) || ids.contains(k.id())) {
                throw new IllegalArgumentException("previous-key-encryption-keys: " + k.id() + " is listed twice "
                        + "(or is also the current key-encryption-key); list each earlier key once");
            }
            ids.add(k.id());
        }
    }

    /** No KEK: keys and secrets are stored as before this setting existed. */
    public static KeyEncryptionKeys none() {
        return NONE;
    }

    public static KeyEncryptionKeys of(KeyEncryptionKey current) {
        return new KeyEncryptionKeys(current, List.of());
    }

    public boolean configured() {
        return current != null;
    }

    /** The configured KEK with this id, current or previous. */
    public Optional<KeyEncryptionKey> byId(String id) {
        if (current != null && current.id().equals(id)) {
            return Optional.of(current);
        }
        return previous.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** What an operator reads in a start-up line: the ids, never the keys. */
    public String describe() {
        if (current == null) {
            return "none";
        }
        if (previous.isEmpty()) {
            return current.id();
        }
        return current.id() + " (previous: " + String.join(", ", previous.stream().map(KeyEncryptionKey::id).toList()) + ")";
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys[" + describe() + "]";
    }
}
