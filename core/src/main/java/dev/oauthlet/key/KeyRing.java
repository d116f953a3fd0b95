package dev.oauthlet.key;

import dev.oauthlet.spi.SigningKeyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The stored keys as one node read them, and what they mean at any instant: each key signs from
 * its {@code activeFrom} until the next key's, and stays published from the moment it is stored
 * until the overlap after it stopped signing. Nothing here is written back: every node derives the
 * same answers from the same rows, so the JWKS is the same on every node that has read them.
 */
final class KeyRing {

    private record Entry(SigningKey key, Instant signsFrom, Instant publishedUntil) {
    }

    private final List<Entry> entries;

    private KeyRing(List<Entry> entries) {
        this.entries = entries;
    }

    static KeyRing of(List<SigningKeyRecord> records, Duration overlap) {
        List<SigningKeyRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(SigningKeyRecord::signsFrom).thenComparing(SigningKeyRecord::kid));
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            SigningKeyRecord r = sorted.get(i);
            // Rows retired by earlier versions carry their dates; otherwise the next key retires this one.
            Instant until = r.activeUntil() != null ? r.activeUntil() : i + 1 < sorted.size() ? sorted.get(i + 1).signsFrom() : null;
            Instant published = r.publishedUntil() != null ? r.publishedUntil() : until == null ? null : until.plus(overlap);
            SigningKey k = SigningKey.fromRecord(r);
            entries.add(new Entry(new SigningKey(k.kid(), k.algorithm(), k.signingKey(), k.publicKey(), k.createdAt(), until, published),
                    r.signsFrom(), published));
        }
        return new KeyRing(List.copyOf(entries));
    }

    /** The key of {@code algorithm} that signs at {@code now}: the newest that has started and not stopped. */
    SigningKey signing(SigningAlgorithm algorithm, Instant now) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (!e.signsFrom().isAfter(now) && e.key().algorithm() == algorithm
                    && (e.key().activeUntil() == null || e.key().activeUntil().isAfter(now))) {
                return e.key();
            }
        }
        return null;
    }

    /** Keys a verifier should trust at {@code now}, the signing one first: keys yet to sign, and retired ones within their overlap. */
    List<SigningKey> published(SigningAlgorithm algorithm, Instant now) {
        List<SigningKey> out = new ArrayList<>();
        SigningKey signing = signing(algorithm, now);
        if (signing != null) {
            out.add(signing);
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.key() != signing && isPublished(e, now)) {
                out.add(e.key());
            }
        }
        return out;
    }

    Optional<SigningKey> find(String kid, Instant now) {
        for (Entry e : entries) {
            if (e.key().kid().equals(kid) && isPublished(e, now)) {
                return Optional.of(e.key());
            }
        }
        return Optional.empty();
    }

    /** {@code true} if a key signs from exactly {@code instant}: the key of the period that starts then exists. */
    boolean hasKeyFrom(Instant instant) {
        return entries.stream().anyMatch(e -> e.signsFrom().equals(instant));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Kids of keys that left the JWKS more than {@code overlap} before {@code now}: no live token can name them. */
    List<String> longGone(Instant now, Duration overlap) {
        return entries.stream().filter(e -> e.publishedUntil() != null && e.publishedUntil().plus(overlap).isBefore(now))
                .map(e -> e.key().kid()).toList();
    }

    private static boolean isPublished(Entry e, Instant now) {
        return e.publishedUntil() == null || e.publishedUntil().isAfter(now);
    }
}
