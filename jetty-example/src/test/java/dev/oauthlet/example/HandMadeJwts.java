package dev.oauthlet.example;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test fixture: JWTs signed by hand, so a test can make exactly the one mistake it is about — DPoP
 * proofs (RFC 9449 §4.2) and client assertions (RFC 7523 §3) with any header and claims, signed
 * ES256, RS256, HS256 under any bytes, or not at all. Nimbus holds the keys and their JWKs; no
 * library decides what the token looks like.
 */
public final class HandMadeJwts {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HandMadeJwts() {
    }

    /** A fresh P-256 key, with {@code kid} when not null. */
    public static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh 2048-bit RSA key with {@code kid}. */
    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RFC 7638 SHA-256 thumbprint of {@code key}, as {@code cnf.jkt} and {@code dpop_jkt} carry it. */
    public static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64url(SHA-256(token)): a proof's {@code ath} (RFC 9449 §4.2). */
    public static String ath(String accessToken) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- DPoP proofs

    /** A proof's header: {@code typ dpop+jwt}, ES256, the public half of {@code key} as {@code jwk}. */
    public static Map<String, Object> proofHeader(ECKey key) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("typ", "dpop+jwt");
        h.put("alg", "ES256");
        h.put("jwk", key.toPublicJWK().toJSONObject());
        return h;
    }

    /** A proof's claims for {@code htm htu}, issued now with a fresh {@code jti}; {@code ath} of {@code accessToken} when not null. */
    public static Map<String, Object> proofClaims(String htm, String htu, String accessToken) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", UUID.randomUUID().toString());
        c.put("htm", htm);
        c.put("htu", htu);
        c.put("iat", Instant.now().getEpochSecond());
        if (accessToken != null) {
            c.put("ath", ath(accessToken));
        }
        return c;
    }

    /** A correct proof of {@code key} for {@code htm htu}, presenting {@code accessToken} when not null. */
    public static String proof(ECKey key, String htm, String htu, String accessToken) {
        return es256(proofHeader(key), proofClaims(htm, htu, accessToken), key);
    }

    // ---------------------------------------------------------------- client assertions

    /** An assertion's claims: {@code iss} = {@code sub} = {@code client}, {@code aud}, a fresh {@code jti}, {@code exp} in a minute. */
    public static Map<String, Object> assertionClaims(String client, Object aud) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", client);
        c.put("sub", client);
        c.put("aud", aud);
        c.put("jti", UUID.randomUUID().toString());
        c.put("iat", Instant.now().getEpochSecond());
        c.put("exp", Instant.now().plusSeconds(60).getEpochSecond());
        return c;
    }

    /** A header {@code {"alg": alg, "kid": kid}}, without {@code kid} when it is null. */
    public static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        if (kid != null) {
            h.put("kid", kid);
        }
        return h;
    }

    // ---------------------------------------------------------------- signing

    /** {@code header.claims} signed ES256 (the JWS form, R || S) by {@code key}. */
    public static String es256(Map<String, Object> header, Map<String, Object> claims, ECKey key) {
        try {
            return signed(header, claims, "SHA256withECDSAinP1363Format", key.toECPrivateKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code header.claims} signed RS256 by {@code key}. */
    public static String rs256(Map<String, Object> header, Map<String, Object> claims, RSAKey key) {
        try {
            return signed(header, claims, "SHA256withRSA", key.toRSAPrivateKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code header.claims} with an HMAC-SHA256 under {@code secret}, whatever those bytes are. */
    public static String hs256(Map<String, Object> header, Map<String, Object> claims, byte[] secret) {
        String input = input(header, claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code header.claims.} with no signature at all. */
    public static String unsigned(Map<String, Object> header, Map<String, Object> claims) {
        return input(header, claims) + ".";
    }

    private static String signed(Map<String, Object> header, Map<String, Object> claims, String algorithm, PrivateKey key) {
        String input = input(header, claims);
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String input(Map<String, Object> header, Map<String, Object> claims) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(header)) + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
