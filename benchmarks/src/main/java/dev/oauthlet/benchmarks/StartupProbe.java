package dev.oauthlet.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Start-up to first token, and resident memory after start, of the runnable example jar: starts
 * {@code java -jar jetty-example.jar --port P} in a fresh empty directory, polls the token
 * endpoint until it answers 200, then reads VmRSS from /proc. Usage:
 * {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.StartupProbe jetty-example/target/jetty-example.jar [runs]}.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        String basic = "Basic " + Base64.getEncoder().encodeToString("backoffice-app:E8CXQyO8QsxKKUjQReJAmCm7QiGhAMoyzdP3RwvD580".getBytes());
        for (int run = 1; run <= runs; run++) {
            for (boolean fresh : List.of(true, false)) {
                // First start on an empty directory (schema, key generation); second start reuses them.
                Path dir = fresh ? Files.createTempDirectory("oauthlet-startup") : Path.of(System.getProperty("java.io.tmpdir"), "oauthlet-startup-last");
                if (fresh) {
                    System.setProperty("oauthlet.lastdir", dir.toString());
                }
                Path work = fresh ? dir : Path.of(System.getProperty("oauthlet.lastdir"));
                int port = 20000 + (int) (Math.random() * 20000);
                long start = System.nanoTime();
                Process p = new ProcessBuilder("java", "-jar", jar.toString(), "--port", String.valueOf(port))
                        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("out.txt").toFile()).start();
                try {
                    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth/token"))
                            .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
                    long firstToken = -1;
                    while (System.nanoTime() - start < 60_000_000_000L) {
                        try {
                            if (http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                                firstToken = System.nanoTime();
                                break;
                            }
                        } catch (java.io.IOException notYet) {
                            Thread.sleep(5);
                        }
                    }
                    Thread.sleep(1000);
                    long rssKb = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                            .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
                    System.out.printf("run %d (%s database): first token after %d ms, resident %d MiB%n", run,
                            fresh ? "new" : "existing", (firstToken - start) / 1_000_000, rssKb / 1024);
                } finally {
                    p.destroy();
                    p.waitFor();
                }
            }
        }
    }
}
