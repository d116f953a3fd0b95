package dev.oauthlet.key;

import dev.oauthlet.crypto.Hashes;
import io.jsonwebtoken.security.Jwks;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keys an operator manages in {@code signing.key-file} (PEM or PKCS#12) instead of generated
 * ones. The file's private key signs; further public keys or certificates in it keep verifying
 * and stay published, so rotating by hand means: put the new key in, keep the old one's public
 * key beside it until its tokens have expired, restart. Each kid is the key's RFC 7638
 * thumbprint, the same on every node and after every restart.
 */
public final class KeyFileKeys implements SigningKeys {

    private final SigningKey current;
    private final List<VerificationKey> published;
    private final Duration overlap;

    private KeyFileKeys(SigningKey current, List<VerificationKey> published, Duration overlap) {
        this.current = current;
        this.published = List.copyOf(published);
        this.overlap = overlap;
    }

    /**
     * Reads {@code file}.
     *
     * @throws dev.oauthlet.config.ConfigException naming the file and what is wrong with it
     */
    public static KeyFileKeys load(Path file, String password, SigningAlgorithm algorithm, Duration overlap, Clock clock) {
        KeyFiles.Contents c = KeyFiles.read(file, password, algorithm);
        String kid = c.publicKey() == null ? secretKid(c.signing().getEncoded()) : thumbprint(c.publicKey());
        SigningKey current = new SigningKey(kid, algorithm, c.signing(), c.publicKey(), clock.instant(), null, null);
        List<VerificationKey> published = new ArrayList<>();
        published.add(current.toVerificationKey());
        for (PublicKey p : c.previous()) {
            SigningAlgorithm alg = SigningAlgorithm.forKey(p);
            String thumb = thumbprint(p);
            if (alg != null && !thumb.equals(kid)) {
                published.add(new VerificationKey(thumb, alg, p));
            }
        }
        return new KeyFileKeys(current, published, overlap);
    }

    private static String thumbprint(PublicKey key) {
        return Jwks.builder().key(key).build().thumbprint().toString();
    }

    /** A kid for a secret that reveals nothing of it: the secret has 256 bits, so a plain hash is one-way. */
    private static String secretKid(byte[] secret) {
        return Hashes.sha256("oauthlet-hs256-kid:" + java.util.HexFormat.of().formatHex(secret)).substring(0, 22);
    }

    @Override
    public SigningKey current() {
        return current;
    }

    @Override
    public List<VerificationKey> published() {
        return published;
    }

    @Override
    public Duration overlap() {
        return overlap;
    }

    @Override
    public Optional<VerificationKey> resolve(String kid) {
        for (VerificationKey k : published) {
            if (k.kid().equals(kid)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Always refuses: the operator rotates file keys by replacing the file. */
    @Override
    public String rotate() {
        throw new UnsupportedOperationException("signing keys come from signing.key-file; rotate by replacing the file "
                + "(keep the old public key in it until its tokens have expired) and restarting");
    }
}
