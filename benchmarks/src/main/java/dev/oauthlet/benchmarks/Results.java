package dev.oauthlet.benchmarks;

import dev.oauthlet.benchmarks.Load.Round;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Everything one {@link SideBySide} run measured, for {@link Report}. */
final class Results {

    String mode;
    int roundSeconds;
    int rounds;
    int warmRequests;
    int warmMaxSeconds;
    int warmRoundSeconds;
    String exampleCommand;
    String jdk25;
    double loadBefore;
    double loadAfter;
    double totalSeconds;
    /** Bare operation → µs of CPU, one figure at the start of the run and one at its end; one thread, unless the name says otherwise. */
    final Map<String, List<Double>> bare = new LinkedHashMap<>();
    /**
     * The primary scenario's Oauthlet rounds: CPU µs per token, then the bare RS256 signature measured
     * right after that round, one thread alone and every core at once.
     */
    final List<double[]> floorPairs = new ArrayList<>();
    final List<Row> rows = new ArrayList<>();
    final List<Startup> startups = new ArrayList<>();
    /** Seconds of load, RSS MiB, load average, then (after the first) req/s and CPU µs per request. */
    final List<double[]> soak = new ArrayList<>();
    /** Parts of the run that ended with an exception: the part's name and what ended it. */
    final List<String> failures = new ArrayList<>();

    /** One arm of one scenario and its rounds. */
    record Row(String scenario, String server, List<Round> rounds) {
        // A round in which no request completed has no CPU per request (NaN): left out, unless every round is such.
        double median(ToDoubleFunction<Round> f) {
            double[] v = values(f);
            return v.length == 0 ? Double.NaN : Results.median(v);
        }

        double min(ToDoubleFunction<Round> f) {
            return java.util.Arrays.stream(values(f)).min().orElse(Double.NaN);
        }

        double max(ToDoubleFunction<Round> f) {
            return java.util.Arrays.stream(values(f)).max().orElse(Double.NaN);
        }

        private double[] values(ToDoubleFunction<Round> f) {
            return rounds.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
        }
    }

    /** One start on a fresh directory: time to the first token, the CPU the process had used by then, RSS a second after it. */
    record Startup(String server, long firstTokenMs, long cpuMs, double rssMiB, double load1) {
    }

    double bare(String op) {
        return bare.get(op).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    Row row(String scenarioPrefix, String server) {
        return rows.stream().filter(r -> r.scenario().startsWith(scenarioPrefix) && r.server().equals(server)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no row " + scenarioPrefix + " / " + server));
    }

    List<Startup> startups(String server) {
        return startups.stream().filter(s -> s.server().equals(server)).toList();
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
