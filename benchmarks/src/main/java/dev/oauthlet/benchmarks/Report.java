package dev.oauthlet.benchmarks;

import dev.oauthlet.benchmarks.Load.Round;
import dev.oauthlet.benchmarks.Results.Row;
import dev.oauthlet.benchmarks.Results.Startup;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Turns {@link Results} into the table, the targets, the chart and {@code docs/benchmarks.md}. */
final class Report {

    private final Results r;

    Report(Results results) {
        this.r = results;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    String table() {
        StringBuilder t = new StringBuilder("""
                | scenario | server | requests/s | p50 ms | p99 ms | server CPU µs/request (median; range) | RSS MiB | load avg |
                |---|---|---:|---:|---:|---:|---:|---|
                """);
        for (Row row : r.rows) {
            t.append(f("| %s | %s | %,.0f | %.2f | %.2f | **%,.0f** (%,.0f–%,.0f) | %.0f | %.1f–%.1f |%n", row.scenario(), row.server(),
                    row.median(Round::rps), row.median(Round::p50ms), row.median(Round::p99ms), row.median(Round::cpuUsPerRequest),
                    row.min(Round::cpuUsPerRequest), row.max(Round::cpuUsPerRequest), row.max(Round::rssMiB),
                    row.min(Round::load1), row.max(Round::load1)));
        }
        t.append("\n| bare JDK operation (one thread unless it says otherwise) | µs of CPU (start of run / end of run) |\n|---|---:|\n");
        r.bare.forEach((op, v) -> t.append(f("| %s | %s |%n", op, String.join(" / ", v.stream().map(x -> f("%,.0f", x)).toList()))));
        t.append("\n| start on a fresh directory | first token after, ms | CPU used by then, ms | RSS 1 s later, MiB | load avg |\n"
                + "|---|---:|---:|---:|---:|\n");
        for (Startup s : r.startups) {
            t.append(f("| %s | %,d | %,d | %.0f | %.2f |%n", s.server(), s.firstTokenMs(), s.cpuMs(), s.rssMiB(), s.load1()));
        }
        t.append("\n| Oauthlet under client_credentials load, seconds | RSS MiB | requests/s | load avg |\n|---|---:|---:|---:|\n");
        for (double[] s : r.soak) {
            t.append(f("| %.0f | %.0f | %s | %.2f |%n", s[0], s[1], s.length > 3 ? f("%,.0f", s[3]) : "—", s[2]));
        }
        return t.toString();
    }

    /** One target, its figure from this run, and whether it holds. */
    record Target(String what, String figure, boolean holds) {
    }

    /** A target's figure in this run, and whether it holds. */
    private record Outcome(String figure, boolean holds) {
    }

    /**
     * {@code what}, measured by {@code outcome}; a target whose scenario failed in this run (so its
     * rows are missing) is listed as not measured, not left out.
     */
    private static void add(List<Target> targets, String what, java.util.function.Supplier<Outcome> outcome) {
        Outcome o;
        try {
            o = outcome.get();
        } catch (IllegalStateException | java.util.NoSuchElementException | IndexOutOfBoundsException | NullPointerException e) {
            o = new Outcome("not measured: " + e.getMessage(), false);
        }
        targets.add(new Target(what, o.figure(), o.holds()));
    }

    List<Target> targetList() {
        List<Target> t = new ArrayList<>();
        add(t, "client_credentials RS256: server CPU per token ≤ 1.15× the bare RS256 signature with every core signing (median of each round over the signature measured right after it)", () -> {
            double[] ratios = r.floorPairs.stream().mapToDouble(p -> p[0] / p[2]).toArray();
            double[] alone = r.floorPairs.stream().mapToDouble(p -> p[0] / p[1]).toArray();
            double ratio = Results.median(ratios);
            double cpu = Results.median(r.floorPairs.stream().mapToDouble(p -> p[0]).toArray());
            double all = Results.median(r.floorPairs.stream().mapToDouble(p -> p[2]).toArray());
            double one = Results.median(r.floorPairs.stream().mapToDouble(p -> p[1]).toArray());
            return new Outcome(f("%.2f× (rounds %s; medians %,.0f µs / %,.0f µs). Against one thread alone (%,.0f µs): %.2f×",
                    ratio, String.join(", ", java.util.Arrays.stream(ratios).mapToObj(x -> f("%.2f", x)).toList()), cpu, all, one,
                    Results.median(alone)), ratio <= 1.15);
        });
        add(t, "client_credentials RS256: throughput ≥ 1.35× Spring AS (noop secret check)", () -> {
            Row occ = r.row("client_credentials RS256", "Oauthlet");
            Row scc = r.row("client_credentials RS256", "Spring AS, noop secret check");
            double thr = occ.median(Round::rps) / scc.median(Round::rps);
            return new Outcome(f("%,.0f / %,.0f req/s = %.2f×", occ.median(Round::rps), scc.median(Round::rps), thr), thr >= 1.35);
        });
        add(t, "default configuration vs Spring AS's stock configuration: throughput ≥ 40×", () -> {
            Row od = r.row("client_credentials, default", "Oauthlet, default");
            Row ss = r.row("client_credentials, default", "Spring AS, stock encoder");
            double stock = od.median(Round::rps) / ss.median(Round::rps);
            return new Outcome(f("%,.0f / %,.0f req/s = %.0f×", od.median(Round::rps), ss.median(Round::rps), stock), stock >= 40);
        });
        add(t, "protected resource, repeated token: ≥ 95 % of unprotected throughput (median of alternating rounds)", () -> {
            Row open = r.row("resource, repeated", "Oauthlet, unprotected");
            Row prot = r.row("resource, repeated", "Oauthlet, protected");
            double[] ratios = new double[open.rounds().size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = prot.rounds().get(i).rps() / open.rounds().get(i).rps();
            }
            double ratio = Results.median(ratios);
            return new Outcome(f("%.1f %% (CPU per request %+,.0f µs over unprotected)", 100 * ratio,
                    prot.median(Round::cpuUsPerRequest) - open.median(Round::cpuUsPerRequest)), ratio >= 0.95);
        });
        add(t, "always-new tokens: CPU per request above unprotected ≤ bare RS256 verification + 10 µs (median of alternating rounds)", () -> {
            double verify = r.bare("RS256-verify");
            Row open = r.row("resource, always-new", "Oauthlet, unprotected");
            Row fresh = r.row("resource, always-new", "Oauthlet, new tokens");
            // Round i of each arm ran next to the other's (ABBA order), so their difference is taken
            // round by round, as the repeated-token ratio is: the machine's speed drifts by a fifth
            // within minutes, and a difference of two medians taken rounds apart carries that drift.
            double[] paired = new double[open.rounds().size()];
            for (int i = 0; i < paired.length; i++) {
                paired[i] = fresh.rounds().get(i).cpuUsPerRequest() - open.rounds().get(i).cpuUsPerRequest();
            }
            double extra = Results.median(paired);
            double ofMedians = fresh.median(Round::cpuUsPerRequest) - open.median(Round::cpuUsPerRequest);
            return new Outcome(f("%,.0f µs vs %,.0f + 10 µs (median of the rounds' differences; difference of the medians %,.0f µs)",
                    extra, verify, ofMedians), extra <= verify + 10);
        });
        add(t, "start-up to first token on a fresh directory ≤ 1 s (median of starts)", () -> {
            double os = startupMedian("Oauthlet");
            return new Outcome(f("%,.0f ms", os), os <= 1000);
        });
        add(t, "start-up ≤ 0.25× Spring AS's", () -> {
            double os = startupMedian("Oauthlet");
            double ss = startupMedian("Spring AS");
            return new Outcome(f("%,.0f / %,.0f ms = %.2f×", os, ss, os / ss), os / ss <= 0.25);
        });
        add(t, "RSS after the first token ≤ 100 MiB (largest of the starts)", () -> {
            double rss = r.startups("Oauthlet").stream().mapToDouble(Startup::rssMiB).max().orElseThrow();
            return new Outcome(f("%.0f MiB", rss), rss <= 100);
        });
        add(t, "RSS after a minute of token load ≤ 200 MiB", () -> {
            double[] at60 = soakAtMinute();
            return new Outcome(f("%.0f MiB after %.0f s", at60[1], at60[0]), at60[1] <= 200);
        });
        add(t, "… and no growth after that (largest later sample ≤ 5 % above it)", () -> {
            double[] at60 = soakAtMinute();
            double later = r.soak.stream().filter(s -> s[0] > at60[0]).mapToDouble(s -> s[1]).max().orElse(at60[1]);
            return new Outcome(f("%.0f MiB", later), later <= at60[1] * 1.05);
        });
        return t;
    }

    private double startupMedian(String server) {
        double[] ms = r.startups(server).stream().mapToDouble(Startup::firstTokenMs).toArray();
        if (ms.length == 0) {
            throw new IllegalStateException("no start of " + server);
        }
        return Results.median(ms);
    }

    /** The soak's sample at one minute of load (or its last, if it ran shorter): seconds, RSS MiB, … */
    private double[] soakAtMinute() {
        if (r.soak.isEmpty()) {
            throw new IllegalStateException("no soak samples");
        }
        return r.soak.stream().filter(s -> s[0] >= 60).findFirst().orElse(r.soak.get(r.soak.size() - 1));
    }

    String targets() {
        StringBuilder s = new StringBuilder("| target | this run | holds |\n|---|---|---|\n");
        for (Target t : targetList()) {
            s.append(f("| %s | %s | %s |%n", t.what(), t.figure(), t.holds() ? "yes" : "**no**"));
        }
        return s.toString();
    }

    void write(Path markdown, Path png, String pngName, Path root) throws IOException {
        chart(png);
        String notes = Files.readString(root.resolve("benchmarks/notes.md"));
        String md = "# Benchmarks\n\n"
                + "<!-- Written by benchmarks/run.sh; edit benchmarks/notes.md (the text after the figures) instead. -->\n\n"
                + "Every figure on this page comes from one run of `benchmarks/run.sh`" + (r.mode.equals("quick") ? " (quick mode)" : "")
                + ", " + Instant.now().truncatedTo(ChronoUnit.MINUTES) + ".\n\n"
                + "## Machine\n\n" + machine() + "\n"
                + "## Commands\n\n" + commands() + "\n"
                + failures()
                + "## Targets\n\n" + targets() + "\n"
                + "## Results\n\n" + table() + "\n"
                + "![server CPU per request and RSS under load](" + pngName + ")\n\n"
                + notes;
        Files.writeString(markdown, md, StandardCharsets.UTF_8);
    }

    /** The parts of the run that failed, each with what ended it; empty when none did. */
    String failures() {
        if (r.failures.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("## Failed parts\n\nThese parts of the run ended early; their figures are missing below.\n\n");
        r.failures.forEach(x -> s.append("- ").append(x).append('\n'));
        return s.append('\n').toString();
    }

    private String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
        return f("- %d CPUs (%s), %.0f GiB, %s%n- JDK: %s %s; JDK 25 scenario: %s%n"
                        + "- load average (1 min) %.2f before the run, %.2f after it; the run took %.0f s%n",
                Runtime.getRuntime().availableProcessors(), cpu, Long.parseLong(mem) / 1024.0 / 1024, System.getProperty("os.name") + " "
                        + System.getProperty("os.version"), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                r.jdk25 == null ? "no JDK 25 installed" : r.jdk25, r.loadBefore, r.loadAfter, r.totalSeconds);
    }

    private String commands() {
        return f("""
                - `benchmarks/run.sh` (`--quick` for a short run that writes under `benchmarks/target/` and leaves `docs/` alone)
                - Oauthlet, as the README starts it: `%s` in a fresh directory (demo configuration, H2 file store), with
                  `--config` for the ES256, EdDSA and PostgreSQL variants; resource scenarios: `benchmarks.jar`'s `ResourceApp`
                  (same JVM flags; Jetty's header cache at 256 characters, as the README advises for a resource server only APIs call;
                  `/open`, `/protected` behind a `BearerTokenFilter`, `/fresh` behind one whose cache holds 16 tokens;
                  Oauthlet's unprotected arms are sent the same requests, token included, as the protected arm beside them; Spring's
                  none, since its filter chain verifies a Bearer token on any path)
                - Spring Authorization Server: `java -jar benchmarks/spring-as/target/spring-as.jar` (Spring Boot 4.1.2,
                  spring-security-oauth2-authorization-server 7.1.2, Tomcat, in memory, RS256): client `bench-client` with a
                  `{noop}` secret (checked as plain text, never upgraded), `stock-client` with the stock encoder's bcrypt hash
                - refresh rotation: requests sent by the driver's own client threads, one refresh-token family each, since each
                  answer's new refresh token must be the next request's
                - authorization code, signed in: the example with `--config` (the demo configuration, `openid` added to
                  `partner-app`'s scopes); alice signs in on the login page and consents once, then 4 driver threads each repeat a
                  `prompt=none` authorization request with `acr_values=1` and her session cookie (302 with a code) and that code's
                  exchange (ID, access and refresh tokens); one operation is that pair, so its CPU figure is per pair
                - DPoP and resource indicators: the example with `--config` (the demo configuration, plus `dpop: allowed` and
                  `audiences: [%s]` for `backoffice-app`, and a `dpop: required` resource at `/api/dpop/*`); the DPoP
                  scenarios' requests, their Bearer arms too, sent by %d driver threads, each taking turns with %d ES256 keys of its own (Spring Security accepts at
                  most 1,000 proofs per key in its replay window) and a fresh proof per request (wrk cannot sign one); their
                  latency includes the client's signing
                - load: `wrk -t%d -c%d -d%ds --latency`; after warm-up rounds of %d s per arm (at least %,d requests or 20 s, and until the median CPU per request of the last three rounds is no more than 3 %% below that of the three before them; at most %d s), %d rounds
                  per arm, the arms taking turns and
                  the order reversed every other round; figures are medians of the rounds. Exceptions: the password grant
                  sends one request at a time, and both arms of the default-vs-stock scenario use `-t1 -c4`. CPU per request is the server process's
                  utime + stime from `/proc/PID/stat` over a round, divided by the requests wrk completed in it
                """, r.exampleCommand, SideBySide.ORDERS_API, SideBySide.DPOP_CLIENTS, SideBySide.DPOP_KEYS_PER_THREAD, 2, 16, r.roundSeconds, r.warmRoundSeconds, r.warmRequests,
                r.warmMaxSeconds, r.rounds);
    }

    /** Two panels: CPU per request of every arm against the bare RS256 signature, and RSS over the soak. */
    void chart(Path png) throws IOException {
        int w = 1300;
        int barH = 18;
        int top = 40;
        int labelW = 560;
        int cpuPanel = top + r.rows.size() * (barH + 6) + 40;
        int soakPanel = 260;
        BufferedImage img = new BufferedImage(w, cpuPanel + soakPanel, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("Server CPU per request, µs (median of rounds, line: range); dashed: bare RS256 signature;"
                + " bars past 4× the signature are cut (»)", 10, 22);
        double sign = r.bare("RS256-sign");
        double max = Math.min(4 * sign, r.rows.stream().mapToDouble(x -> x.max(Round::cpuUsPerRequest)).filter(d -> !Double.isNaN(d))
                .max().orElse(sign)) * 1.1;
        int plotW = w - labelW - 90;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int y = top;
        for (Row row : r.rows) {
            double v = row.median(Round::cpuUsPerRequest);
            g.setColor(Color.BLACK);
            g.drawString(row.scenario() + " — " + row.server(), 10, y + 13);
            if (!Double.isNaN(v)) {
                g.setColor(row.server().startsWith("Oauthlet") ? new Color(0x2b6cb0) : new Color(0x6aa84f));
                int len = (int) (plotW * Math.min(v, max) / max);
                g.fillRect(labelW, y, Math.max(1, len), barH);
                g.setColor(Color.DARK_GRAY);
                int lo = labelW + (int) (plotW * Math.min(max, row.min(Round::cpuUsPerRequest)) / max);
                int hi = labelW + (int) (plotW * Math.min(max, row.max(Round::cpuUsPerRequest)) / max);
                g.drawLine(lo, y + barH / 2, hi, y + barH / 2);
                g.setColor(Color.BLACK);
                g.drawString(f("%,.0f", v) + (v > max ? " »" : ""), labelW + len + 6, y + 13);
            } else {
                g.drawString("no request completed", labelW + 6, y + 13);
            }
            y += barH + 6;
        }
        int signX = labelW + (int) (plotW * sign / max);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(signX, top - 6, signX, y);
        g.setStroke(new BasicStroke(1));

        int oy = cpuPanel;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Oauthlet RSS, MiB, under client_credentials load (dashed: 100 and 200 MiB)", 10, oy + 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int px = 70;
        int pw = w - 120;
        int py = oy + 30;
        int ph = soakPanel - 70;
        double tMax = r.soak.stream().mapToDouble(s -> s[0]).max().orElse(1);
        double mMax = Math.max(250, r.soak.stream().mapToDouble(s -> s[1]).max().orElse(1) * 1.1);
        g.drawRect(px, py, pw, ph);
        for (int mib : new int[] {100, 200}) {
            int ly = py + ph - (int) (ph * mib / mMax);
            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(px, ly, px + pw, ly);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(String.valueOf(mib), px - 30, ly + 4);
        }
        g.setColor(new Color(0x2b6cb0));
        g.setStroke(new BasicStroke(2));
        int lastX = -1;
        int lastY = -1;
        for (double[] s : r.soak) {
            int sx = px + (int) (pw * s[0] / tMax);
            int sy = py + ph - (int) (ph * s[1] / mMax);
            g.fillOval(sx - 3, sy - 3, 6, 6);
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, sx, sy);
            }
            lastX = sx;
            lastY = sy;
        }
        g.setColor(Color.BLACK);
        g.drawString("0 s", px, py + ph + 16);
        g.drawString(f("%.0f s", tMax), px + pw - 30, py + ph + 16);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
