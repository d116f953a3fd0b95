package dev.oauthlet.key;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** The JWS algorithms Oauthlet signs with, and how each makes, encodes and decodes its keys. */
public enum SigningAlgorithm {
    RS256("RSA"),
    ES256("EC"),
    EdDSA("Ed25519"),
    HS256("HmacSHA256");

    private final String keyAlgorithm;

    SigningAlgorithm(String keyAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The algorithm named {@code alg} in a JWS header or configuration, or {@code null}. */
    public static SigningAlgorithm fromJws(String alg) {
        for (SigningAlgorithm a : values()) {
            if (a.name().equals(alg)) {
                return a;
            }
        }
        return null;
    }

    public boolean symmetric() {
        return this == HS256;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public SecureDigestAlgorithm<Key, Key> jws() {
        SecureDigestAlgorithm a = switch (this) {
            case RS256 -> Jwts.SIG.RS256;
            case ES256 -> Jwts.SIG.ES256;
            case EdDSA -> Jwts.SIG.EdDSA;
            case HS256 -> Jwts.SIG.HS256;
        };
        return a;
    }

    /** A new key: RSA 2048, P-256, Ed25519 or 256 random bits. */
    public SigningKey generate(String kid, java.time.Instant now) {
        try {
            if (this == HS256) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                return new SigningKey(kid, this, new SecretKeySpec(secret, keyAlgorithm), null, now, null, null);
            }
            KeyPairGenerator gen = KeyPairGenerator.getInstance(keyAlgorithm);
            if (this == RS256) {
                gen.initialize(2048);
            } else if (this == ES256) {
                gen.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = gen.generateKeyPair();
            return new SigningKey(kid, this, pair.getPrivate(), pair.getPublic(), now, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key on this JDK", e);
        }
    }

    Key decodePrivate(byte[] encoded) throws GeneralSecurityException {
        if (this == HS256) {
            return new SecretKeySpec(encoded, keyAlgorithm);
        }
        PrivateKey k = KeyFactory.getInstance(keyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
        return k;
    }

    PublicKey decodePublic(byte[] encoded) throws GeneralSecurityException {
        return KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(encoded));
    }
}
