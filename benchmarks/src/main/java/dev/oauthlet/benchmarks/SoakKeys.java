package dev.oauthlet.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's view of signing keys across the two nodes during scheduled rotation: which key signed
 * each issued token, per rotation period (the multiples of {@code signing.rotation} since the epoch,
 * as the nodes count them); fresh tokens of one node presented at once to the other's filter, and
 * how many it refused for an unknown kid; and whether the two JWKS agree when sampled. What
 * {@code KeyRotationAcrossNodesTest} checks in seconds, over the whole soak.
 */
final class SoakKeys {

    private static final Pattern KID = Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern IAT = Pattern.compile("\"iat\"\\s*:\\s*(\\d+)");

    private final Duration rotation;
    private final Map<Long, Set<String>> kidsByPeriod = new ConcurrentHashMap<>();
    private final AtomicLong crossNode = new AtomicLong();
    private final AtomicLong unknownKid = new AtomicLong();
    private final AtomicLong jwksSamples = new AtomicLong();
    private final AtomicLong jwksDiffering = new AtomicLong();
    private final List<String> jwksDiffs = new ArrayList<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private boolean lastDiffered;

    /** @param rotation the nodes' {@code signing.rotation}, or {@code null} when keys do not rotate */
    SoakKeys(Duration rotation) {
        this.rotation = rotation;
    }

    /** Notes which key signed {@code accessToken} and in which period it was issued. */
    void issued(String accessToken) {
        String[] parts = accessToken.split("\\.");
        Matcher kid = KID.matcher(decode(parts[0]));
        Matcher iat = IAT.matcher(decode(parts[1]));
        if (kid.find() && iat.find()) {
            long period = rotation == null ? 0 : Long.parseLong(iat.group(1)) / rotation.toSeconds();
            kidsByPeriod.computeIfAbsent(period, p -> ConcurrentHashMap.newKeySet()).add(kid.group(1));
        }
    }

    /**
     * A fresh token of one node at the other node's filter: {@code true} when it was refused
     * because that node does not know the key that signed it.
     */
    boolean presentedElsewhere(int status, String wwwAuthenticate) {
        crossNode.incrementAndGet();
        if (status == 401 && wwwAuthenticate.contains("signing key is unknown")) {
            unknownKid.incrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Both nodes' JWKS, fetched one right after the other: a difference is a violation only when
     * the next sample differs as well (a key stored between the two fetches is a moment, not a split).
     *
     * @return a description of a lasting difference, or {@code null}
     */
    synchronized String jwks(String at, String a, String b) {
        jwksSamples.incrementAndGet();
        Set<String> ka = kids(a);
        Set<String> kb = kids(b);
        published.addAll(ka);
        published.addAll(kb);
        if (ka.equals(kb)) {
            lastDiffered = false;
            return null;
        }
        jwksDiffering.incrementAndGet();
        String diff = at + " node-a " + ka + " node-b " + kb;
        jwksDiffs.add(diff);
        boolean lasting = lastDiffered;
        lastDiffered = true;
        return lasting ? "the two JWKS differ in two samples in a row: " + diff : null;
    }

    /** Periods in which more than one key signed, or whose key is the one of the period before. */
    List<String> violations() {
        List<String> v = new ArrayList<>();
        String previous = null;
        for (Map.Entry<Long, Set<String>> e : new TreeMap<>(kidsByPeriod).entrySet()) {
            if (e.getValue().size() > 1) {
                v.add("period " + e.getKey() + " was signed by " + e.getValue().size() + " keys: " + e.getValue());
            }
            String kid = e.getValue().iterator().next();
            if (rotation != null && kid.equals(previous)) {
                v.add("period " + e.getKey() + " kept the key of the period before (" + kid + ")");
            }
            previous = kid;
        }
        if (unknownKid.get() > 0) {
            v.add(unknownKid.get() + " fresh tokens were refused by the other node for an unknown kid");
        }
        return v;
    }

    String report() {
        StringBuilder b = new StringBuilder();
        Map<Long, Set<String>> periods = new TreeMap<>(kidsByPeriod);
        if (rotation != null) {
            b.append("Key rotation (signing.rotation ").append(rotation.toSeconds()).append(" s): ").append(periods.size())
                    .append(" periods with tokens; keys that signed, by period:\n\n");
            periods.forEach((p, kids) -> b.append("- period ").append(p).append(" (from ")
                    .append(java.time.Instant.ofEpochSecond(p * rotation.toSeconds())).append("): ").append(new TreeSet<>(kids)).append('\n'));
            long distinct = periods.values().stream().flatMap(Set::stream).distinct().count();
            b.append("\nSigning keys: ").append(distinct).append(" for ").append(periods.size()).append(" periods (one new key per rotation: ")
                    .append(distinct == periods.size() && violations().stream().noneMatch(v -> v.startsWith("period")) ? "yes" : "NO")
                    .append("); keys ever published in the JWKS: ").append(published.size()).append('\n');
        }
        b.append("Fresh tokens presented at once to the other node's filter: ").append(crossNode.get())
                .append("; refused for an unknown kid: ").append(unknownKid.get()).append('\n');
        b.append("JWKS of both nodes compared: ").append(jwksSamples.get()).append(" samples, ").append(jwksDiffering.get()).append(" differed");
        synchronized (this) {
            jwksDiffs.stream().limit(5).forEach(d -> b.append("\n  - ").append(d));
        }
        return b.append('\n').toString();
    }

    private static Set<String> kids(String jwks) {
        Set<String> kids = new TreeSet<>();
        Matcher m = KID.matcher(jwks);
        while (m.find()) {
            kids.add(m.group(1));
        }
        return kids;
    }

    private static String decode(String segment) {
        return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
    }
}
