package dev.oauthlet.config;

import dev.oauthlet.crypto.KeyEncryptionKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code signing:} — how access tokens are signed.
 *
 * @param algorithm     {@code RS256} (default), {@code ES256}, {@code EdDSA} or {@code HS256}
 * @param rotation      how long a key signs before a new one takes over; {@code null} never rotates
 * @param keyFile       a PKCS#12 or PEM file with the key, instead of generated keys; {@code null} for generated
 * @param keyPassword   the PKCS#12 password
 * @param keyEncryption the key-encryption keys ({@code key-encryption-key}, {@code previous-key-encryption-keys})
 *                      under which the store keeps private signing keys and {@code client_secret_jwt} secrets;
 *                      {@link KeyEncryptionKeys#none()} stores them in plain
 */
public record SigningConfig(String algorithm, Duration rotation, Path keyFile, String keyPassword, KeyEncryptionKeys keyEncryption) {

    /** The names of {@code key.SigningAlgorithm}, which sits above configuration; SigningConfigTest keeps them equal. */
    public static final java.util.List<String> ALGORITHMS = java.util.List.of("RS256", "ES256", "EdDSA", "HS256");

    public SigningConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        keyEncryption = keyEncryption == null ? KeyEncryptionKeys.none() : keyEncryption;
    }

    /** Without key-encryption keys. */
    public SigningConfig(String algorithm, Duration rotation, Path keyFile, String keyPassword) {
        this(algorithm, rotation, keyFile, keyPassword, null);
    }

    public static SigningConfig defaults() {
        return new SigningConfig("RS256", null, null, null);
    }

    /** These settings with other key-encryption keys. */
    public SigningConfig withKeyEncryption(KeyEncryptionKeys keys) {
        return new SigningConfig(algorithm, rotation, keyFile, keyPassword, keys);
    }

    /** Leaves the password and the keys out: configurations end up in logs and error messages. */
    @Override
    public String toString() {
        return "SigningConfig[algorithm=" + algorithm + ", rotation=" + rotation + ", keyFile=" + keyFile
                + ", keyPassword=" + (keyPassword == null ? "null" : "(hidden)") + ", keyEncryption=" + keyEncryption.describe() + "]";
    }
}
