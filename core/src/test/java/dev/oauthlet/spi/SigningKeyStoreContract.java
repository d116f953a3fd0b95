package dev.oauthlet.spi;

import static dev.oauthlet.spi.TestStoreRecords.NOW;
import static dev.oauthlet.spi.TestStoreRecords.assertSameKey;
import static dev.oauthlet.spi.TestStoreRecords.signingKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SigningKeyStore}: keys come back newest first, bytes intact. */
abstract class SigningKeyStoreContract {

    abstract Storage storage();

    private SigningKeyStore keys() {
        return storage().signingKeys();
    }

    private List<String> kids() {
        return keys().findAll().stream().map(SigningKeyRecord::kid).toList();
    }

    @Test
    void findAllWhenEmptyThenNoKeys() {
        assertEquals(List.of(), keys().findAll());
    }

    @Test
    void findAllWhenSeveralKeysThenNewestFirst() {
        keys().save(signingKey("middle", NOW.minus(Duration.ofDays(30))));
        keys().save(signingKey("newest", NOW));
        keys().save(signingKey("oldest", NOW.minus(Duration.ofDays(60))));

        assertEquals(List.of("newest", "middle", "oldest"), kids());
    }

    @Test
    void findAllWhenRetiredKeySavedThenEveryFieldAndByteComesBack() {
        SigningKeyRecord retired = new SigningKeyRecord("k1", "ES256", new byte[] {0, 1, 2, (byte) 0xff},
                new byte[] {(byte) 0x80, 127, 0}, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)), NOW.plusSeconds(3600));
        keys().save(retired);

        assertSameKey(retired, keys().findAll().get(0));
    }

    @Test
    void findAllWhenHmacKeyWithoutPublicPartThenPublicKeyNull() {
        SigningKeyRecord hmac = new SigningKeyRecord("h1", "HS256", "secret".getBytes(StandardCharsets.UTF_8), null, NOW, null, null);
        keys().save(hmac);

        assertSameKey(hmac, keys().findAll().get(0));
    }

    @Test
    void saveWhenKidExistsThenReplacesTheKey() {
        keys().save(signingKey("k1", NOW));
        SigningKeyRecord retired = new SigningKeyRecord("k1", "RS256", signingKey("k1", NOW).privateKey(),
                signingKey("k1", NOW).publicKey(), NOW, NOW.plusSeconds(60), NOW.plusSeconds(3660));

        keys().save(retired);

        assertEquals(1, keys().findAll().size());
        assertSameKey(retired, keys().findAll().get(0));
    }

    @Test
    void insertIfAbsentWhenNoKeyHoldsItsInstantThenInsertedWithEveryField() {
        SigningKeyRecord next = signingKey("next", NOW, NOW.plusSeconds(20));

        assertEquals(true, keys().insertIfAbsent(next));

        assertSameKey(next, keys().findAll().get(0));
    }

    @Test
    void insertIfAbsentWhenAnotherKeySignsFromTheSameInstantThenFalseAndTheFirstStays() {
        keys().insertIfAbsent(signingKey("first", NOW, NOW.plusSeconds(20)));

        assertEquals(false, keys().insertIfAbsent(signingKey("second", NOW, NOW.plusSeconds(20))));
        assertEquals(true, keys().insertIfAbsent(signingKey("third", NOW, NOW.plusSeconds(40))), "another instant is free");

        assertEquals(java.util.Set.of("first", "third"), java.util.Set.copyOf(kids()));
    }

    @Test
    void insertIfAbsentWhenKeysWithoutInstantExistThenTheyDoNotBlockOneAnother() {
        keys().save(signingKey("old1", NOW.minusSeconds(60)));

        assertEquals(true, keys().insertIfAbsent(signingKey("old2", NOW)));
        assertEquals(false, keys().insertIfAbsent(signingKey("old2", NOW)), "the kid is taken");
    }

    @Test
    void insertIfAbsentWhenManyRaceForOneInstantThenExactlyOneWins() throws Exception {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        List<Boolean> won = Race.run(8, () -> keys().insertIfAbsent(signingKey("k" + n.incrementAndGet(), NOW, NOW.plusSeconds(20))));

        assertEquals(1, won.stream().filter(w -> w).count());
        assertEquals(1, keys().findAll().size());
    }

    @Test
    void insertIfAbsentWhenKeySealedUnderAKekThenKekIdAndSealedBytesComeBack() {
        SigningKeyRecord sealed = signingKey("k1", NOW, NOW).withPrivateKey(new byte[] {1, 9, 8, 7, 0, (byte) 0xfe}, "kek-0123456789abcdef");

        keys().insertIfAbsent(sealed);

        assertSameKey(sealed, keys().findAll().get(0));
    }

    @Test
    void resealWhenRowsStillUnderTheExpectedKekThenEachIsReplaced() {
        keys().save(signingKey("plain", NOW.minusSeconds(60)));
        keys().save(signingKey("old", NOW).withPrivateKey(new byte[] {1}, "kek-old"));
        SigningKeyRecord untouched = signingKey("other", NOW.minusSeconds(120)).withPrivateKey(new byte[] {2}, "kek-other");
        keys().save(untouched);

        int changed = keys().reseal(List.of(new SigningKeyStore.Reseal("plain", null, new byte[] {3}, "kek-new"),
                new SigningKeyStore.Reseal("old", "kek-old", new byte[] {4}, "kek-new"),
                new SigningKeyStore.Reseal("other", "kek-wrong", new byte[] {5}, "kek-new")));

        assertEquals(2, changed);
        java.util.Map<String, SigningKeyRecord> byKid = new java.util.HashMap<>();
        keys().findAll().forEach(k -> byKid.put(k.kid(), k));
        assertEquals(List.of("kek-new", "kek-new", "kek-other"),
                List.of(byKid.get("plain").keyEncryptionKeyId(), byKid.get("old").keyEncryptionKeyId(), byKid.get("other").keyEncryptionKeyId()));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {3}, byKid.get("plain").privateKey());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {4}, byKid.get("old").privateKey());
        assertSameKey(untouched, byKid.get("other"));
        assertEquals(NOW.minusSeconds(60), byKid.get("plain").createdAt(), "only the private part changes");
    }

    /** Nodes that start together all encrypt the plain keys: each row changes once, nobody fails. */
    @Test
    void resealWhenManyRaceOverTheSameRowsThenEachRowChangesOnce() throws Exception {
        keys().save(signingKey("a", NOW.minusSeconds(60)));
        keys().save(signingKey("b", NOW));
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        List<Integer> changed = Race.run(6, () -> {
            byte node = (byte) n.incrementAndGet();
            return keys().reseal(List.of(new SigningKeyStore.Reseal("b", null, new byte[] {node}, "kek-new"),
                    new SigningKeyStore.Reseal("a", null, new byte[] {node}, "kek-new")));
        });

        assertEquals(2, changed.stream().mapToInt(Integer::intValue).sum());
        keys().findAll().forEach(k -> assertEquals("kek-new", k.keyEncryptionKeyId()));
    }

    @Test
    void deleteWhenKeyExistsThenOnlyThatKeyIsGone() {
        keys().save(signingKey("k1", NOW.minusSeconds(60)));
        keys().save(signingKey("k2", NOW));

        keys().delete("k1");

        assertEquals(List.of("k2"), kids());
    }
}
