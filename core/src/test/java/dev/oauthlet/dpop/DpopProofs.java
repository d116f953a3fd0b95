package dev.oauthlet.dpop;

import dev.oauthlet.crypto.Hashes;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Test fixture: DPoP proofs as a client makes them (RFC 9449 §4.2), and the ways they go wrong. */
public final class DpopProofs {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DpopProofs() {
    }

    public static KeyPair ecKey() {
        return Jwts.SIG.ES256.keyPair().build();
    }

    public static KeyPair rsaKey() {
        return Jwts.SIG.RS256.keyPair().build();
    }

    /** The RFC 7638 thumbprint of {@code key}'s public half. */
    public static String thumbprint(KeyPair key) {
        return Jwks.builder().key(key.getPublic()).build().thumbprint().toString();
    }

    /** A proof of {@code key} for {@code method url}, issued now, with a fresh jti. */
    public static String proof(KeyPair key, String method, String url) {
        return proof(key, method, url, Instant.now(), null, null);
    }

    /** A proof presenting {@code accessToken} ({@code ath}) and carrying {@code nonce} when not null. */
    public static String proof(KeyPair key, String method, String url, Instant iat, String accessToken, String nonce) {
        return builder(key, method, url, iat, accessToken, nonce, UUID.randomUUID().toString());
    }

    public static String builder(KeyPair key, String method, String url, Instant iat, String accessToken, String nonce, String jti) {
        PublicJwk<?> jwk = Jwks.builder().key(key.getPublic()).build();
        var b = Jwts.builder().header().type("dpop+jwt").add("jwk", jwk).and()
                .id(jti).claim("htm", method).claim("htu", url).issuedAt(Date.from(iat));
        if (accessToken != null) {
            b.claim("ath", Hashes.sha256(accessToken));
        }
        if (nonce != null) {
            b.claim("nonce", nonce);
        }
        return b.signWith(key.getPrivate()).compact();
    }

    /** An RS256 proof signed by hand, with whatever header the test wants (jjwt would not write a private jwk). */
    public static String rawRs256(KeyPair rsa, Map<String, Object> header, Map<String, Object> claims) {
        try {
            String h = B64.encodeToString(dev.oauthlet.protocol.Json.write(header).getBytes(StandardCharsets.UTF_8));
            String p = B64.encodeToString(dev.oauthlet.protocol.Json.write(claims).getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(rsa.getPrivate());
            s.update((h + "." + p).getBytes(StandardCharsets.US_ASCII));
            return h + "." + p + "." + B64.encodeToString(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code rsa}'s JWK, with its private members when {@code withPrivate}. */
    public static Map<String, Object> rsaJwk(KeyPair rsa, boolean withPrivate) {
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "RSA");
        m.put("n", unsigned(pub.getModulus()));
        m.put("e", unsigned(pub.getPublicExponent()));
        if (withPrivate) {
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.getPrivate();
            m.put("d", unsigned(priv.getPrivateExponent()));
            m.put("p", unsigned(priv.getPrimeP()));
            m.put("q", unsigned(priv.getPrimeQ()));
            m.put("dp", unsigned(priv.getPrimeExponentP()));
            m.put("dq", unsigned(priv.getPrimeExponentQ()));
            m.put("qi", unsigned(priv.getCrtCoefficient()));
        }
        return m;
    }

    private static String unsigned(java.math.BigInteger i) {
        byte[] b = i.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return B64.encodeToString(b);
    }
}
