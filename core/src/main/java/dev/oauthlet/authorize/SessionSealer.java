package dev.oauthlet.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.protocol.Json;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals {@link BrowserSession}s into cookie values with AES-256-GCM, so sessions need no server
 * state: every node that shares the keys reads every node's cookies.
 *
 * <p>The AES key is derived (HKDF-SHA256, its own label) from the current signing key's private
 * material, which the store (or the operator's key file) already shares between nodes and keeps
 * across restarts. The cookie names the signing key's {@code kid}; new sessions are sealed under
 * the current key, and a session opens as long as the key it names is published (current, or
 * retired within the overlap), so a rotation, on this node or another, signs no one out. Format:
 * {@code 1.KID.BASE64URL(IV || CIPHERTEXT)}.
 */
public final class SessionSealer {

    private static final String VERSION = "1";
    private static final byte[] SALT = "oauthlet browser session".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INFO = "aes-256-gcm v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Session cookies are small; anything longer is not ours and is not decrypted. */
    private static final int MAX_LENGTH = 3000;

    private final SigningKeys keys;
    private final Clock clock;
    private final Map<String, SecretKeySpec> derived = new ConcurrentHashMap<>();

    public SessionSealer(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The cookie value for {@code session}. */
    public String seal(BrowserSession session) {
        SigningKey key = keys.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("s", session.id());
        body.put("c", session.csrfToken());
        body.put("e", session.expiresAt().getEpochSecond());
        if (session.user() != null) {
            body.put("u", session.user().subject());
            body.put("m", session.user().claims());
            if (session.authTime() != null) {
                body.put("a", session.authTime().getEpochSecond());
            }
            if (session.signIn().acr() != null) {
                body.put("r", session.signIn().acr());
            }
            if (!session.signIn().amr().isEmpty()) {
                body.put("h", session.signIn().amrText());
            }
        }
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aesKey(key), new GCMParameterSpec(128, iv));
            c.updateAAD(aad(key.kid()));
            byte[] ct = c.doFinal(Json.write(body).getBytes(StandardCharsets.UTF_8));
            return VERSION + "." + key.kid() + "." + B64.encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session in a cookie value; empty when it is malformed, forged, sealed by an unknown key, or expired. */
    public Optional<BrowserSession> open(String sealed) {
        if (sealed == null || sealed.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = sealed.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        Optional<SigningKey> key = signingKey(parts[1]);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] blob = Base64.getUrlDecoder().decode(parts[2]);
            if (blob.length < 12 + 16) {
                return Optional.empty();
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, aesKey(key.get()), new GCMParameterSpec(128, blob, 0, 12));
            c.updateAAD(aad(parts[1]));
            return parse(c.doFinal(blob, 12, blob.length - 12));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<BrowserSession> parse(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            Instant expiresAt = Instant.ofEpochSecond(n.path("e").asLong());
            if (!clock.instant().isBefore(expiresAt) || !n.path("c").isTextual() || !n.path("s").isTextual()) {
                return Optional.empty();
            }
            AuthenticatedUser user = null;
            if (n.path("u").isTextual()) {
                Map<String, String> claims = new LinkedHashMap<>();
                n.path("m").fields().forEachRemaining(e -> claims.put(e.getKey(), e.getValue().asText()));
                user = new AuthenticatedUser(n.path("u").asText(), claims);
            }
            Instant authTime = user != null && n.path("a").isIntegralNumber() ? Instant.ofEpochSecond(n.path("a").asLong()) : null;
            SignInContext signIn = user == null ? null
                    : SignInContext.stored(n.path("r").isTextual() ? n.path("r").asText() : null, n.path("h").isTextual() ? n.path("h").asText() : null);
            return Optional.of(new BrowserSession(n.path("s").asText(), n.path("c").asText(), user, expiresAt, authTime, signIn));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<SigningKey> signingKey(String kid) {
        // Any published key, not only the current one: another node may seal under a key this one has
        // not loaded yet, or may still seal under one just retired here (publishedSigningKey re-reads
        // the store for an unknown kid, at most once a second).
        return keys.publishedSigningKey(kid);
    }

    private static byte[] aad(String kid) {
        return (VERSION + "." + kid).getBytes(StandardCharsets.UTF_8);
    }

    private SecretKeySpec aesKey(SigningKey key) {
        return derived.computeIfAbsent(key.kid(), kid -> new SecretKeySpec(hkdf(key.signingKey().getEncoded()), "AES"));
    }

    /** RFC 5869 HKDF-SHA256 with one output block: 32 bytes, an AES-256 key. */
    static byte[] hkdf(byte[] inputKeyMaterial) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] prk = mac.doFinal(inputKeyMaterial);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(INFO);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
