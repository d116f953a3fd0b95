package dev.oauthlet.metrics.micrometer;

import dev.oauthlet.metrics.ResourceMetrics;
import dev.oauthlet.token.TokenVerificationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one {@code BearerTokenFilter}. A cached token costs the filter about a
 * microsecond of CPU, so the path that serves one does as little as it can: one counter update
 * (the request let through), and one request in {@value #SAMPLE} timed (picked at random per
 * thread, no shared state). Cache hits are not counted one by one: every request that reached the
 * cache was let through or refused after the lookup, so the hits are those requests less the
 * misses, which the cache reports on its slow path (a signature check follows each).
 */
final class MicrometerResourceMetrics implements ResourceMetrics {

    /** One request in this many is timed. */
    static final int SAMPLE = 64;

    private final MeterRegistry registry;
    private final String resource;
    private final Counter accepted;
    private final Map<String, Counter> refused;
    /** The refusals decided after the cache lookup: all but a missing or malformed request. */
    private final List<Counter> refusedAfterLookup = new ArrayList<>();
    private final Counter otherRefusal;
    private final Timer latency;
    /** Registered with the first miss, as the hits are. */
    private volatile Counter misses;
    private double lastHits;

    MicrometerResourceMetrics(MeterRegistry registry, String resource) {
        this.registry = registry;
        this.resource = resource;
        accepted = Counter.builder("oauthlet.bearer.accepted").description("requests a BearerTokenFilter let through")
                .tag("resource", resource).register(registry);
        Map<String, Counter> byReason = new HashMap<>();
        for (String reason : FILTER_REASONS) {
            byReason.put(reason, refusal(registry, resource, reason));
        }
        for (TokenVerificationException.Reason r : TokenVerificationException.Reason.values()) {
            byReason.put(r.label(), refusal(registry, resource, r.label()));
        }
        byReason.forEach((reason, counter) -> {
            if (!reason.equals(NO_TOKEN) && !reason.equals(INVALID_REQUEST)) {
                refusedAfterLookup.add(counter);
            }
        });
        refused = Map.copyOf(byReason);
        otherRefusal = refusal(registry, resource, MicrometerMetrics.OTHER);
        latency = Timer.builder("oauthlet.bearer.latency").description("time a BearerTokenFilter took, for one request in " + SAMPLE)
                .tag("resource", resource).register(registry);
    }

    private static Counter refusal(MeterRegistry registry, String resource, String reason) {
        return Counter.builder("oauthlet.bearer.refused").description("requests a BearerTokenFilter refused, by reason")
                .tag("resource", resource).tag("reason", reason).register(registry);
    }

    @Override
    public long start() {
        return (ThreadLocalRandom.current().nextInt() & (SAMPLE - 1)) == 0 ? System.nanoTime() : NOT_TIMED;
    }

    @Override
    public void accepted(long start) {
        accepted.increment();
        if (start != NOT_TIMED) {
            time(start);
        }
    }

    @Override
    public void refused(String reason, long start) {
        refused.getOrDefault(reason, otherRefusal).increment();
        if (start != NOT_TIMED) {
            time(start);
        }
    }

    private void time(long start) {
        latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /**
     * A cache's first lookup is a miss (it starts empty), so the cache's meters appear with the
     * first miss: a filter without a cache shows none.
     */
    @Override
    public void cacheMiss() {
        Counter m = misses;
        (m != null ? m : registerCacheMeters()).increment();
    }

    private synchronized Counter registerCacheMeters() {
        if (misses == null) {
            String description = "verified-token cache lookups of a BearerTokenFilter";
            FunctionCounter.builder("oauthlet.bearer.cache", this, MicrometerResourceMetrics::hits).description(description)
                    .tag("resource", resource).tag("result", "hit").register(registry);
            misses = Counter.builder("oauthlet.bearer.cache").description(description).tag("resource", resource).tag("result", "miss")
                    .register(registry);
        }
        return misses;
    }

    /**
     * Requests that reached the cache less its misses. Read at scrape time; never lower than the
     * last value read, so a miss counted before its request's outcome cannot make the counter fall.
     */
    private synchronized double hits() {
        double lookups = accepted.count();
        for (Counter c : refusedAfterLookup) {
            lookups += c.count();
        }
        Counter m = misses;
        lastHits = Math.max(lastHits, lookups - (m == null ? 0 : m.count()));
        return lastHits;
    }
}
