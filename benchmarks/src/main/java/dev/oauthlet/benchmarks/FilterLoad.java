package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Throughput of one small resource with and without the {@link BearerTokenFilter} in front of it,
 * measured by wrk over loopback (Debian package {@code wrk}). The client repeats one token, as a
 * real client does until it expires. The paths alternate over several rounds and the medians are
 * compared; the server and wrk each get a core of their own (taskset), when there are two. Usage: {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.FilterLoad [seconds] [connections]}.
 */
public final class FilterLoad {

    private FilterLoad() {
    }

    /** The resource: a few bytes of JSON, so the filter's share of the work shows. */
    public static final class Ok extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        try (Oauthlet oauthlet = Fixtures.server("memory")) {
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            ctx.addServlet(new ServletHolder(new Ok()), "/open");
            ctx.addServlet(new ServletHolder(new Ok()), "/protected");
            ctx.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, "api", Set.of())), "/protected",
                    EnumSet.of(DispatcherType.REQUEST));
            jetty.setHandler(ctx);
            jetty.start();
            try {
                String base = "http://127.0.0.1:" + connector.getLocalPort();
                String token = oauthlet.token(Fixtures.clientCredentials()).accessToken();
                // The server on one core, wrk on the other, so they do not take turns on the same one.
                boolean pinned = pin(ProcessHandle.current().pid(), "0");
                // Warm-up: on one core the JIT needs a while before either path runs at its speed.
                for (int i = 0; i < 2; i++) {
                    wrk(base + "/open", token, seconds, connections, pinned);
                    wrk(base + "/protected", token, seconds, connections, pinned);
                }
                // Alternate the two paths so drift (JIT, GC, the machine) touches both alike; compare medians.
                double[] open = new double[ROUNDS];
                double[] prot = new double[ROUNDS];
                for (int i = 0; i < ROUNDS; i++) {
                    open[i] = wrk(base + "/open", token, seconds, connections, pinned);
                    prot[i] = wrk(base + "/protected", token, seconds, connections, pinned);
                }
                double o = median(open);
                double p = median(prot);
                System.out.printf("rounds: %d x %d s each, server pinned to cpu 0 and wrk to cpu 1: %s%n", ROUNDS, seconds, pinned);
                System.out.printf("unprotected: %s -> median %.0f req/s%nprotected:   %s -> median %.0f req/s%nratio:       %.1f%%%n",
                        java.util.Arrays.toString(round(open)), o, java.util.Arrays.toString(round(prot)), p, 100 * p / o);
            } finally {
                jetty.stop();
            }
        }
    }

    static final int ROUNDS = 5;

    /** Pins every thread of process {@code pid} to {@code cpus}; false when taskset is missing or the machine has one CPU. */
    static boolean pin(long pid, String cpus) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-cp", cpus, String.valueOf(pid)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    static long[] round(double[] values) {
        return java.util.Arrays.stream(values).mapToLong(Math::round).toArray();
    }

    static double wrk(String url, String token, int seconds, int connections, boolean pinned) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (pinned) {
            cmd.addAll(List.of("taskset", "-c", "1"));
        }
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "-H", "Authorization: Bearer " + token, url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (install it: apt-get install wrk):\n" + out);
        }
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException("some requests were refused:\n" + out);
        }
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }
}
