package dev.oauthlet.dpop;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code jti}s of DPoP proofs one resource server has seen, in memory (RFC 9449 §11.1): a
 * resource server checks a proof on every request, and a store write per request would cost more
 * than the check. Bounded: entries leave when their proof window ends, and when the map is full
 * after a sweep, new proofs are refused rather than the map growing without limit. Per node: a
 * proof replayed to another node within its window passes there (the proof still binds method,
 * URL and the access token's hash).
 */
public final class MemoryReplayGuard implements DpopProofVerifier.ReplayGuard {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;
    private final AtomicInteger insertsSinceSweep = new AtomicInteger();

    public MemoryReplayGuard(int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String key, Instant keepUntil) {
        Instant now = clock.instant();
        if (insertsSinceSweep.incrementAndGet() >= 1024 || seen.size() >= maxEntries) {
            sweep(now);
        }
        if (seen.size() >= maxEntries) {
            return false;
        }
        boolean[] fresh = {false};
        seen.compute(key, (k, old) -> {
            if (old == null || !old.isAfter(now)) {
                fresh[0] = true;
                return keepUntil;
            }
            return old;
        });
        return fresh[0];
    }

    /** How many jtis are remembered now. */
    public int size() {
        return seen.size();
    }

    private void sweep(Instant now) {
        insertsSinceSweep.set(0);
        for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
            if (!it.next().isAfter(now)) {
                it.remove();
            }
        }
    }
}
