package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.metrics.ResourceMetrics;
import dev.oauthlet.metrics.micrometer.MicrometerMetrics;
import dev.oauthlet.servlet.BearerTokenFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Oauthlet's metrics cost, CPU per operation, single-threaded: the in-process token endpoint
 * ({@code client_credentials}, RS256) and a {@link BearerTokenFilter} whose token is in its cache,
 * each with {@code metrics=off} (no metrics given to the builder) and {@code metrics=on} (the
 * Prometheus registry the Jetty example serves). The {@code record*} benchmarks time exactly the
 * metric calls each operation makes, which a loaded machine resolves far better than the
 * difference of two whole operations.
 *
 * <p>Besides JMH's wall-clock average, each benchmark reports {@code cpuNanosPerOp}: the benchmark
 * thread's own CPU time over an iteration divided by its operations. On a shared machine a thread
 * waits for a core, which the wall clock counts and the CPU time does not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsBenchmark {

    @Param({"off", "on"})
    public String metrics;

    private Oauthlet server;
    private BearerTokenFilter filter;
    private HttpServletRequest request;
    private HttpServletResponse response;
    private final FilterChain chain = (req, resp) -> { };
    private OauthletMetrics bound;
    private ResourceMetrics resource;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OauthletMetrics given = "on".equals(metrics) ? MicrometerMetrics.of(registry) : OauthletMetrics.NONE;
        server = Oauthlet.builder().config(Fixtures.config("memory")).metrics(given).build();
        bound = server.metrics();
        resource = bound.resource("api");
        String token = server.token(Fixtures.clientCredentials()).accessToken();
        filter = new BearerTokenFilter(server, Map.of("audience", "api"));
        filter.init(InProcessRequests.NO_INIT_PARAMS);
        request = new InProcessRequests.Bearer(token);
        response = InProcessRequests.response();
        filter.doFilter(request, response, chain);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    /** The benchmark thread's CPU time per operation over each iteration, as a secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** Reported by JMH. */
        public double cpuNanosPerOp;
        long ops;
        private long startedAt;

        @Setup(Level.Iteration)
        public void start() {
            ops = 0;
            startedAt = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanosPerOp = ops == 0 ? 0 : (THREADS.getCurrentThreadCpuTime() - startedAt) / (double) ops;
        }
    }

    /** A whole client_credentials token request in process: client authentication, claims, RS256 signature, metrics. */
    @Benchmark
    public String issueClientCredentialsToken(Cpu cpu) {
        cpu.ops++;
        return server.token(Fixtures.clientCredentials()).accessToken();
    }

    /** The filter with a cached token: header, SHA-256 of the token, cache, audience, deny-list, scopes, principal, metrics. */
    @Benchmark
    public Object filterCachedToken(Cpu cpu) throws Exception {
        cpu.ops++;
        filter.doFilter(request, response, chain);
        return request.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE);
    }

    /** Only what the token endpoint adds for metrics: two clock reads, the timer and the client's counter. */
    @Benchmark
    public long recordTokenMetrics(Cpu cpu) {
        cpu.ops++;
        long start = System.nanoTime();
        long nanos = System.nanoTime() - start;
        bound.tokenIssued("client_credentials", Fixtures.CLIENT, nanos);
        return nanos;
    }

    /** Only what the filter adds for metrics on a cached token: the sampling decision and the accepted count. */
    @Benchmark
    public long recordFilterMetrics(Cpu cpu) {
        cpu.ops++;
        long start = resource.start();
        resource.accepted(start);
        return start;
    }
}
