package dev.oauthlet.metrics.micrometer;

import dev.oauthlet.metrics.ResourceMetrics;
import dev.oauthlet.token.TokenVerificationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one {@code BearerTokenFilter}, all registered when it starts. A cached token costs
 * the filter about a microsecond, which two clock reads and a timer update would add measurably
 * to; so one request in {@value #SAMPLE} is timed (chosen at random per thread, no shared state),
 * and every request is counted.
 */
final class MicrometerResourceMetrics implements ResourceMetrics {

    /** One request in this many is timed. */
    static final int SAMPLE = 16;

    private final Counter accepted;
    private final Map<String, Counter> refused;
    private final Counter otherRefusal;
    private final Timer latency;
    private final Counter hits;
    private final Counter misses;

    MicrometerResourceMetrics(MeterRegistry registry, String resource) {
        accepted = Counter.builder("oauthlet.bearer.accepted").description("requests a BearerTokenFilter let through")
                .tag("resource", resource).register(registry);
        Map<String, Counter> byReason = new HashMap<>();
        for (String reason : FILTER_REASONS) {
            byReason.put(reason, refusal(registry, resource, reason));
        }
        for (TokenVerificationException.Reason r : TokenVerificationException.Reason.values()) {
            byReason.put(r.label(), refusal(registry, resource, r.label()));
        }
        refused = Map.copyOf(byReason);
        otherRefusal = refusal(registry, resource, MicrometerMetrics.OTHER);
        latency = Timer.builder("oauthlet.bearer.latency").description("time a BearerTokenFilter took, for one request in " + SAMPLE)
                .tag("resource", resource).register(registry);
        hits = cache(registry, resource, "hit");
        misses = cache(registry, resource, "miss");
    }

    private static Counter refusal(MeterRegistry registry, String resource, String reason) {
        return Counter.builder("oauthlet.bearer.refused").description("requests a BearerTokenFilter refused, by reason")
                .tag("resource", resource).tag("reason", reason).register(registry);
    }

    private static Counter cache(MeterRegistry registry, String resource, String result) {
        return Counter.builder("oauthlet.bearer.cache").description("verified-token cache lookups of a BearerTokenFilter")
                .tag("resource", resource).tag("result", result).register(registry);
    }

    @Override
    public long start() {
        return ThreadLocalRandom.current().nextInt(SAMPLE) == 0 ? System.nanoTime() : NOT_TIMED;
    }

    @Override
    public void accepted(long start) {
        accepted.increment();
        time(start);
    }

    @Override
    public void refused(String reason, long start) {
        refused.getOrDefault(reason, otherRefusal).increment();
        time(start);
    }

    private void time(long start) {
        if (start != NOT_TIMED) {
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void cacheHit() {
        hits.increment();
    }

    @Override
    public void cacheMiss() {
        misses.increment();
    }
}
