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

    /**
     * The algorithm that signs with {@code key}'s type: RSA is RS256, an EC key ES256, an EdEC key
     * EdDSA, a secret HS256; {@code null} for another type.
     */
    public static SigningAlgorithm forKey(Key key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> RS256;
            case "EC" -> ES256;
            case "Ed25519", "EdDSA" -> EdDSA;
            case "HmacSHA256", "1.2.840.113549.2.9" -> HS256;
            default -> null;
        };
    }

    /**
     * Refuses a key too weak or of the wrong kind for this algorithm: RSA below 2048 bits, an EC
     * key not on P-256, an EdEC key other than Ed25519, a secret shorter than 256 bits.
     *
     * @return a sentence saying what is wrong, or {@code null} when the key fits
     */
    public String checkKey(Key key) {
        if (forKey(key) != this) {
            return "a " + key.getAlgorithm() + " key cannot sign " + this;
        }
        return switch (this) {
            case RS256 -> ((java.security.interfaces.RSAKey) key).getModulus().bitLength() < 2048
                    ? "RSA keys need at least 2048 bits, this one has " + ((java.security.interfaces.RSAKey) key).getModulus().bitLength() : null;
            case ES256 -> isP256((java.security.interfaces.ECKey) key) ? null : "ES256 needs a key on curve P-256 (secp256r1)";
            case EdDSA -> key instanceof java.security.interfaces.EdECKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())
                    ? null : "EdDSA here means Ed25519; this key is on another curve";
            case HS256 -> key.getEncoded() == null || key.getEncoded().length < 32
                    ? "HS256 needs a secret of at least 256 bits" : null;
        };
    }

    private static boolean isP256(java.security.interfaces.ECKey key) {
        try {
            java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            java.security.spec.ECParameterSpec spec = p.getParameterSpec(java.security.spec.ECParameterSpec.class);
            return spec.getOrder().equals(key.getParams().getOrder()) && spec.getCurve().equals(key.getParams().getCurve());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The JCA signature algorithm, for checking that a private and a public key belong together. */
    String jcaSignature() {
        return switch (this) {
            case RS256 -> "SHA256withRSA";
            case ES256 -> "SHA256withECDSA";
            case EdDSA -> "Ed25519";
            case HS256 -> "HmacSHA256";
        };
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
        if (this == HS256) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new SigningKey(kid, this, new SecretKeySpec(secret, keyAlgorithm), null, now, null, null);
        }
        return withPair(kid, now, generatePair());
    }

    /** The key named {@code kid} made of {@code pair}, a pair {@link #generatePair()} made for this algorithm. */
    SigningKey withPair(String kid, java.time.Instant now, KeyPair pair) {
        return new SigningKey(kid, this, pair.getPrivate(), pair.getPublic(), now, null, null);
    }

    /** A new key pair: RSA 2048, P-256 or Ed25519; not for {@link #HS256}, whose key is a secret. */
    KeyPair generatePair() {
        if (this == HS256) {
            throw new IllegalStateException("HS256 keys are secrets, not pairs");
        }
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance(keyAlgorithm);
            if (this == RS256) {
                gen.initialize(2048);
            } else if (this == ES256) {
                gen.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return gen.generateKeyPair();
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
