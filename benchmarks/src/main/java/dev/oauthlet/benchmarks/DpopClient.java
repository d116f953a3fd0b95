package dev.oauthlet.benchmarks;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * One DPoP client of the benchmarks (RFC 9449 §4.2): an ES256 key of its own, and a fresh proof for
 * each request, as a real client makes one — a new {@code jti}, this {@code iat}, the request's
 * {@code htm} and {@code htu}, and {@code ath} when it presents an access token. Not thread-safe:
 * each belongs to one driving thread.
 */
final class DpopClient {

    private final KeyPair key = Jwts.SIG.ES256.keyPair().build();
    private final PublicJwk<?> jwk = Jwks.builder().key(key.getPublic()).build();
    private final MessageDigest sha256;

    DpopClient() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for {@code method url}, presenting {@code accessToken} when it is not null. */
    String proof(String method, String url, String accessToken) {
        var b = Jwts.builder().header().type("dpop+jwt").add("jwk", jwk).and()
                .id(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url).issuedAt(new Date());
        if (accessToken != null) {
            b.claim("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        return b.signWith(key.getPrivate(), Jwts.SIG.ES256).compact();
    }
}
