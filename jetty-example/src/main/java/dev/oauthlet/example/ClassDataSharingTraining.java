package dev.oauthlet.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run behind {@code target/jetty-example.jsa}, the class-data-sharing archive that the
 * README's run command names: the build runs this under {@code -XX:ArchiveClassesAtExit} in an
 * empty directory (see this module's pom). It takes the path of a first start — the demo
 * configuration, a new H2 database, a new signing key, Jetty — then of a first token and a first
 * resource call, and exits; the JVM then writes every class it loaded to the archive, so a real
 * start maps them instead of reading, parsing and verifying them from the jar.
 */
final class ClassDataSharingTraining {

    private ClassDataSharingTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        JettyExample.Launch launch = JettyExample.launch(new String[] {"--port", "0"}, quiet, System.err);
        if (launch.running() == null) {
            throw new IllegalStateException("the example did not start (exit code " + launch.exitCode() + ")");
        }
        try (JettyExample.Running running = launch.running()) {
            String token = call(running.url() + "/oauth/token", "Basic "
                    + Base64.getEncoder().encodeToString(("backoffice-app:" + JettyExample.DEMO_BACKOFFICE_SECRET).getBytes(StandardCharsets.UTF_8)),
                    "grant_type=client_credentials");
            Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token);
            if (!m.find()) {
                throw new IllegalStateException("no token: " + token);
            }
            call(running.url() + "/api/back-office/me", "Bearer " + m.group(1), null);
        }
        // Jetty's and H2's threads are gone, but say so plainly: the archive is written as the JVM exits.
        System.exit(0);
    }

    private static String call(String url, String authorization, String form) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestProperty("Authorization", authorization);
        if (form != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = c.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (c.getResponseCode() != 200) {
            throw new IllegalStateException(url + " answered " + c.getResponseCode());
        }
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
