package dev.oauthlet.token;

import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;

/**
 * Signs access tokens as RFC 9068 JWTs ({@code typ: at+jwt}) with the current key.
 *
 * <p>It writes the compact JWS itself (RFC 7515 §7.1): the header and the claims are JSON the
 * server composes from its own values, and the signature is the JDK's, so nothing here parses
 * untrusted input. jjwt's builder did the same with a data-binding pass and some twenty objects per
 * token, about a tenth of a token request's CPU beside the RSA signature (docs/benchmarks.md).
 * {@link AccessTokenVerifier} reads back RS256 tokens of exactly this shape without jjwt
 * ({@link OwnRs256Tokens}) and leaves every other token, and every refusal, to jjwt.
 */
public final class AccessTokenIssuer {

    /** The {@code typ} header of RFC 9068 access tokens. */
    public static final String TYPE = "at+jwt";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;
    /** One JCA engine per thread and algorithm: looking one up per token costs more than the SHA-256 of it. */
    private final ThreadLocal<Map<SigningAlgorithm, Object>> engines = ThreadLocal.withInitial(() -> new EnumMap<>(SigningAlgorithm.class));

    public AccessTokenIssuer(SigningKeys keys) {
        this.keys = keys;
    }

    public String sign(AccessToken token) {
        SigningKey key = keys.current();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", TYPE);
        header.put("kid", key.kid());
        header.put("alg", key.algorithm().name());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", token.issuer());
        claims.put("sub", token.subject());
        long issuedAt = token.issuedAt().getEpochSecond();
        claims.put("iat", issuedAt);
        claims.put("nbf", issuedAt);
        claims.put("exp", token.expiresAt().getEpochSecond());
        claims.put("jti", token.jti());
        claims.put("client_id", token.clientId());
        // RFC 7519 §4.1.3: a string for one audience, an array when the token is for several resources (RFC 8707 §2.2).
        claims.put("aud", token.audiences().size() == 1 ? token.audience() : token.audiences());
        if (!token.scopes().isEmpty()) {
            claims.put("scope", token.scopeString());
        }
        claims.putAll(token.claims());
        String signingInput = encode(Json.write(header)) + '.' + encode(Json.write(claims));
        return signingInput + '.' + B64.encodeToString(signature(key, signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 7518 §3: RS256 PKCS#1 v1.5, ES256 as R || S (§3.4, not DER), EdDSA (RFC 8037), HS256. */
    private byte[] signature(SigningKey key, byte[] input) {
        Map<SigningAlgorithm, Object> engines = this.engines.get();
        try {
            if (key.algorithm() == SigningAlgorithm.HS256) {
                Mac mac = (Mac) engines.computeIfAbsent(key.algorithm(), a -> newEngine(a));
                mac.init(key.signingKey());
                return mac.doFinal(input);
            }
            Signature signature = (Signature) engines.computeIfAbsent(key.algorithm(), a -> newEngine(a));
            signature.initSign((PrivateKey) key.signingKey());
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key " + key.kid() + " (" + key.algorithm() + ")", e);
        }
    }

    private static Object newEngine(SigningAlgorithm algorithm) {
        try {
            return switch (algorithm) {
                case RS256 -> Signature.getInstance("SHA256withRSA");
                case ES256 -> Signature.getInstance("SHA256withECDSAinP1363Format");
                case EdDSA -> Signature.getInstance("Ed25519");
                case HS256 -> Mac.getInstance("HmacSHA256");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot sign " + algorithm, e);
        }
    }
}
