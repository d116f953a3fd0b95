package dev.oauthlet.token;

import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.key.SigningKey;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.util.Date;
import java.util.Map;

/** Signs access tokens as RFC 9068 JWTs ({@code typ: at+jwt}) with the current key. */
public final class AccessTokenIssuer {

    /** The {@code typ} header of RFC 9068 access tokens. */
    public static final String TYPE = "at+jwt";

    private final SigningKeys keys;

    public AccessTokenIssuer(SigningKeys keys) {
        this.keys = keys;
    }

    public String sign(AccessToken token) {
        SigningKey key = keys.current();
        JwtBuilder b = Jwts.builder()
                .header().type(TYPE).keyId(key.kid()).and()
                .issuer(token.issuer())
                .subject(token.subject())
                .issuedAt(Date.from(token.issuedAt()))
                .notBefore(Date.from(token.issuedAt()))
                .expiration(Date.from(token.expiresAt()))
                .id(token.jti())
                .claim("client_id", token.clientId());
        if (token.audiences().size() == 1) {
            b.audience().single(token.audience());
        } else {
            // RFC 7519 §4.1.3: an array when the token is for several resources (RFC 8707 §2.2).
            b.audience().add(token.audiences()).and();
        }
        if (!token.scopes().isEmpty()) {
            b.claim("scope", token.scopeString());
        }
        for (Map.Entry<String, Object> e : token.claims().entrySet()) {
            b.claim(e.getKey(), e.getValue());
        }
        return b.signWith(key.signingKey(), key.algorithm().jws()).compact();
    }
}
