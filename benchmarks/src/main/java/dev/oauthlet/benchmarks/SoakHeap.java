package dev.oauthlet.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heap of one node's process over its lifetime, as the soak judges it: old-generation use
 * right after a full GC, first one minute after the process started (warm caches) and last at its
 * end, compared within that one process — a node restarted mid-soak is a new process with its own
 * first minute. A class histogram ({@code jcmd GC.class_histogram}, which itself runs a full GC) is
 * taken at both points, and the classes that grew most are named, so growth can be told apart:
 * a cache filling towards its bound, or something kept per token.
 */
final class SoakHeap {

    /** The most a process's retained heap may grow from its first minute to its end. */
    static final double LIMIT = 0.10;
    /** A lifetime shorter than this between its two points is reported, not judged. */
    static final long JUDGED_MINUTES = 4;

    private final String node;
    private final int process;
    private final Path work;
    private final long startedNanos;
    private Double first;
    private String firstAt;
    private Map<String, long[]> firstHistogram;
    private double last;
    private String lastAt;
    private long lastNanos;
    private Map<String, long[]> lastHistogram;
    private boolean ended;

    SoakHeap(String node, int process, Path work) {
        this.node = node;
        this.process = process;
        this.work = work;
        this.startedNanos = System.nanoTime();
    }

    /** Records one sample (MiB retained after a full GC); the first also takes the first histogram. */
    void sample(double retainedMiB, String at, long pid) throws Exception {
        if (first == null) {
            first = retainedMiB;
            firstAt = at;
            firstHistogram = histogram(pid, "first");
        }
        last = retainedMiB;
        lastAt = at;
        lastNanos = System.nanoTime();
    }

    /** The process is about to end (a restart, the end of the soak): its last figures and histogram, once. */
    void end(long pid, double retainedMiB, String at) throws Exception {
        if (first == null || ended) {
            return;
        }
        ended = true;
        lastHistogram = histogram(pid, "last");
        last = retainedMiB;
        lastAt = at;
        lastNanos = System.nanoTime();
    }

    boolean sampled() {
        return first != null;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** {@code null} when within the limit or too short to judge; otherwise what exceeded it. */
    String violation() {
        if (!judged() || last <= first * (1 + LIMIT)) {
            return null;
        }
        return String.format("%s process %d: retained heap grew %.1f -> %.1f MiB (%+.0f %%) from %s to %s", node, process, first, last,
                100 * (last - first) / first, firstAt, lastAt);
    }

    private boolean judged() {
        return first != null && lastNanos - startedNanos >= java.util.concurrent.TimeUnit.MINUTES.toNanos(JUDGED_MINUTES + 1);
    }

    String report() {
        if (first == null) {
            return String.format("%s process %d: ended before its first minute, not sampled%n", node, process);
        }
        StringBuilder b = new StringBuilder(String.format("%s process %d: retained heap %.1f MiB at %s -> %.1f MiB at %s (%+.1f %%, limit +%.0f %%: %s)%n",
                node, process, first, firstAt, last, lastAt, 100 * (last - first) / first, 100 * LIMIT,
                !judged() ? "lived under " + (JUDGED_MINUTES + 1) + " min, not judged" : last <= first * (1 + LIMIT) ? "within" : "EXCEEDED"));
        if (firstHistogram != null && lastHistogram != null) {
            b.append("  classes that grew most between the two histograms (bytes, instances):\n");
            growth().stream().limit(10).forEach(g -> b.append("    ").append(g).append('\n'));
        }
        return b.toString();
    }

    private List<String> growth() {
        List<Map.Entry<String, long[]>> grew = new ArrayList<>();
        for (Map.Entry<String, long[]> e : lastHistogram.entrySet()) {
            long[] before = firstHistogram.getOrDefault(e.getKey(), new long[2]);
            grew.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - before[0], e.getValue()[1] - before[1]}));
        }
        grew.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : grew) {
            out.add(String.format("%+,10d B %+,8d  %s", e.getValue()[1], e.getValue()[0], e.getKey()));
        }
        return out;
    }

    /** The class histogram of {@code pid}, kept in the work directory: class name to {instances, bytes}. */
    private Map<String, long[]> histogram(long pid, String which) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        try {
            Files.writeString(work.resolve(node + "-" + process + "-" + which + ".histo"), out);
        } catch (IOException e) {
            // The parsed figures below are what the report uses.
        }
        Map<String, long[]> classes = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+");
            // "   1:   12345   678900  java.lang.String (java.base@17)"
            if (f.length >= 4 && f[0].endsWith(":") && f[1].chars().allMatch(Character::isDigit)) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }
}
