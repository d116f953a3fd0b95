package dev.oauthlet.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.key.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The issuer's own RS256 tokens read without jjwt: the same access token jjwt reads from every
 * token this server writes, and never an acceptance jjwt would not give.
 */
class OwnRs256TokensTest {

    private static final String ISSUER = "https://as.example";
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final MutableClock clock = MutableClock.startingNow();
    private final KeyManager keys = new KeyManager(new MemoryStorage().signingKeys(), SigningAlgorithm.RS256, null,
            Duration.ofHours(2), clock);
    private final AccessTokenIssuer issuer = new AccessTokenIssuer(keys);
    private final OwnRs256Tokens own = new OwnRs256Tokens(keys, ISSUER, SKEW, clock);
    private final AccessTokenVerifier jjwt = new AccessTokenVerifier(keys, Set.of(SigningAlgorithm.RS256), ISSUER, SKEW, clock, false);

    private AccessToken token(Random random) {
        List<String> audiences = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            audiences.add(random.nextBoolean() ? "https://api" + i + ".example" : "aud-" + random.nextInt(1000));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            extra.put("tenant", "t-" + random.nextInt(100));
        }
        if (random.nextBoolean()) {
            extra.put("level", random.nextInt(10));
        }
        if (random.nextBoolean()) {
            extra.put("big", 5_000_000_000L + random.nextInt(1000));
        }
        if (random.nextBoolean()) {
            extra.put("ratio", 0.5 + random.nextInt(10));
        }
        if (random.nextBoolean()) {
            extra.put("admin", random.nextBoolean());
        }
        if (random.nextBoolean()) {
            extra.put("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"));
        }
        if (random.nextBoolean()) {
            extra.put("roles", List.of("reader", "writer \"quoted\" <&> ü"));
        }
        Instant iat = clock.instant().minusSeconds(random.nextInt(60));
        Set<String> scopes = random.nextBoolean() ? Set.of() : Set.of("read", "write:" + random.nextInt(5));
        return new AccessToken(ISSUER, "user-" + random.nextInt(1_000_000), AccessToken.joinAudiences(audiences),
                random.nextBoolean() ? "client-x" : "",
                scopes, "jti-" + random.nextLong(), iat, iat.plusSeconds(300 + random.nextInt(3600)), extra);
    }

    @Test
    void acceptWhenAnyTokenTheIssuerWritesThenTheAccessTokenJjwtReads() {
        Random random = new Random(9068);
        for (int i = 0; i < 300; i++) {
            String jwt = issuer.sign(token(random));
            Optional<AccessToken> read = own.accept(jwt);
            assertTrue(read.isPresent(), jwt);
            assertEquals(jjwt.verify(jwt), read.get(), jwt);
        }
    }

    @Test
    void acceptWhenTokenIsRefusedOrOfAnotherShapeThenEmptyAndJjwtNamesTheReason() throws Exception {
        AccessToken t = token(new Random(1));
        String good = issuer.sign(t);
        String[] parts = good.split("\\.");
        String kid = keys.current().kid();
        List<String> refused = new ArrayList<>();
        // A changed signature, header or payload.
        refused.add(parts[0] + "." + parts[1] + "." + flip(parts[2]));
        refused.add(parts[0] + "." + flip(parts[1]) + "." + parts[2]);
        // Another header member, another order, another algorithm with the same kid, unsigned.
        refused.add(resign("{\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\",\"alg\":\"RS256\",\"crit\":[\"exp\"]}", parts[1]));
        refused.add(B64.encodeToString(("{\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\",\"alg\":\"none\"}").getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".");
        // Claims that jjwt refuses or judges: duplicate names, expired, not yet valid, another issuer.
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        refused.add(resign(header(kid), claims.replaceFirst("\\{", "{\"sub\":\"mallory\",")));
        refused.add(resign(header(kid), claims.replaceFirst("\"iss\":\"[^\"]*\"", "\"iss\":\"https://evil.example\"")));
        refused.add(resign(header(kid), claims.replaceFirst("\"exp\":\\d+", "\"exp\":" + (clock.instant().getEpochSecond() - 31))));
        refused.add(resign(header(kid), claims.replaceFirst("\"nbf\":\\d+", "\"nbf\":" + (clock.instant().getEpochSecond() + 31))));
        // An unknown kid.
        refused.add(resign(header("AAAAAAAAAAAAAAAA"), claims));
        for (String jwt : refused) {
            assertEquals(Optional.empty(), own.accept(jwt), jwt);
            assertThrows(TokenVerificationException.class, () -> jjwt.verify(jwt), jwt);
        }
        // Signed tokens of another shape are not this reader's to accept, though jjwt accepts them: header members in
        // another order, content after the claims object (which jjwt's JSON reader ignores), an expiry past the year 9999.
        for (String other : List.of(resign("{\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\",\"alg\":\"RS256\"}", parts[1]),
                resign(header(kid), claims + " {}"), resign(header(kid), claims.replaceFirst("\"exp\":\\d+", "\"exp\":99999999999999999")))) {
            assertEquals(Optional.empty(), own.accept(other), other);
            assertEquals(t.subject(), jjwt.verify(other).subject());
        }
    }

    @Test
    void acceptWhenAClaimIsOfAnotherTypeThenEmptyAndWhenOneIsNullThenAsIfMissing() throws Exception {
        AccessToken t = token(new Random(4));
        String kid = keys.current().kid();
        String claims = new String(Base64.getUrlDecoder().decode(issuer.sign(t).split("\\.")[1]), StandardCharsets.UTF_8);
        String exp = "\"exp\":" + t.expiresAt().getEpochSecond();
        String aud = claims.replaceAll(".*(\"aud\":(\"[^\"]*\"|\\[[^\\]]*\\])).*", "$1");
        List<String> otherTypes = List.of(
                claims.replace(exp, "\"exp\":" + t.expiresAt().getEpochSecond() + ".0"),
                claims.replace(exp, "\"exp\":\"" + t.expiresAt().getEpochSecond() + "\""),
                claims.replace(exp, "\"exp\":null"),
                claims.replace(exp, "\"exp\":-1"),
                claims.replace(exp, exp + ",\"nbf\":\"0\""),
                claims.replace(exp, exp + ",\"nbf\":1e3"),
                claims.replace(aud, "\"aud\":7"),
                claims.replace(aud, "\"aud\":[\"api\",7]"),
                claims.replace(aud, "\"aud\":[[\"api\"]]"),
                claims.replace(aud, "\"aud\":[]"),
                claims.replace(aud, "\"aud\":null"),
                claims.replace(exp, exp + ",\"client_id\":7"),
                claims.replace(exp, exp + ",\"scope\":[\"read\"]"),
                claims.replaceFirst("\"sub\":\"[^\"]*\"", "\"sub\":{\"id\":1}"),
                // A further claim whose object repeats a name; a further claim that is null, which no access token holds.
                claims.replace(exp, exp + ",\"cnf\":{\"jkt\":\"a\",\"jkt\":\"b\"}"),
                claims.replace(exp, exp + ",\"tenant\":null"),
                "[" + claims + "]",
                claims + "x");
        for (String c : otherTypes) {
            String jwt = resign(header(kid), c);
            assertEquals(Optional.empty(), own.accept(jwt), c);
        }
        // Missing and null alike, where a claim may be missing; further claims of every JSON type, read as jjwt reads them.
        String plain = claims.replaceAll(",?\"(client_id|scope|iat|nbf)\":(\"[^\"]*\"|\\d+)", "").replace("{,", "{");
        for (String c : List.of(plain, plain.replace(exp, exp + ",\"client_id\":null,\"scope\":null,\"iat\":null,\"nbf\":null"),
                plain.replace(exp, exp + ",\"x\":{\"a\":[1,2.5,true,null,{\"b\":\"c\"}],\"n\":12345678901234567890}"))) {
            String jwt = resign(header(kid), c);
            AccessToken read = own.accept(jwt).orElseThrow(() -> new AssertionError(c));
            assertEquals(jjwt.verify(jwt), read, c);
            assertEquals("", read.clientId(), c);
            assertEquals(Set.of(), read.scopes(), c);
            assertEquals(read.expiresAt(), read.issuedAt(), c);
        }
    }

    @Test
    void acceptWhenRsaKeyIsShorterThan2048BitsThenEmptyAsJjwtRefusesIt() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        var weak = gen.generateKeyPair();
        SigningKey k = new SigningKey("weak", SigningAlgorithm.RS256, weak.getPrivate(), weak.getPublic(), clock.instant(), null, null);
        String jwt = new AccessTokenIssuer(new FixedKeys(k)).sign(token(new Random(2)));
        OwnRs256Tokens weakOwn = new OwnRs256Tokens(kid -> Optional.of(new VerificationKey("weak", SigningAlgorithm.RS256, weak.getPublic())),
                ISSUER, SKEW, clock);
        assertEquals(Optional.empty(), weakOwn.accept(jwt));
    }

    @Test
    void acceptWhenExpiryIsExactlyAtTheSkewThenAcceptedLikeJjwt() {
        AccessToken t = token(new Random(3));
        String jwt = issuer.sign(t);
        // exp is whole seconds; jjwt compares in milliseconds: valid up to exp + skew, expired a millisecond later.
        clock.advance(Duration.between(clock.instant(), Instant.ofEpochSecond(t.expiresAt().getEpochSecond()).plus(SKEW)));
        assertEquals(jjwt.verify(jwt), own.accept(jwt).orElseThrow());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), own.accept(jwt));
        assertEquals(TokenVerificationException.Reason.EXPIRED, assertThrows(TokenVerificationException.class, () -> jjwt.verify(jwt)).reason());
    }

    private static String header(String kid) {
        return "{\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\",\"alg\":\"RS256\"}";
    }

    /** {@code header} and {@code claims} (JSON, or an already encoded segment) signed with the current key. */
    private String resign(String header, String claims) throws Exception {
        String payload = claims.startsWith("{") ? B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) : claims;
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + payload;
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign((java.security.PrivateKey) keys.current().signingKey());
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(rsa.sign());
    }

    private static String flip(String segment) {
        char c = segment.charAt(segment.length() / 2);
        return segment.substring(0, segment.length() / 2) + (c == 'A' ? 'B' : 'A') + segment.substring(segment.length() / 2 + 1);
    }

    /** One key that signs. */
    private record FixedKeys(SigningKey key) implements dev.oauthlet.key.SigningKeys {
        @Override
        public SigningKey current() {
            return key;
        }

        @Override
        public List<VerificationKey> published() {
            return List.of(key.toVerificationKey());
        }

        @Override
        public Optional<VerificationKey> resolve(String kid) {
            return Optional.of(key.toVerificationKey());
        }

        @Override
        public Duration overlap() {
            return Duration.ZERO;
        }

        @Override
        public String rotate() {
            throw new UnsupportedOperationException();
        }
    }
}
