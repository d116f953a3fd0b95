package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of the runnable example, as a user types it. */
class JettyExampleCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private JettyExample.Launch launch(String... args) throws Exception {
        return JettyExample.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void launchWhenNoConfigThenDemoServesAndPrintedCurlCommandReturnsToken() throws Exception {
        JettyExample.Launch launch = launch("--port", "0");
        try (JettyExample.Running running = launch.running()) {
            String printed = out();
            assertTrue(printed.contains("listening on " + running.url() + "\n"), printed);
            Matcher curl = Pattern.compile("curl -s -u (\\S+):(\\S+) -d (\\S+)=(\\S+) (\\S+)").matcher(printed);
            assertTrue(curl.find(), printed);
            // Do what the printed command does: Basic credentials, a form body, POST.
            Http.Response r = Http.postForm(curl.group(5), Http.basic(curl.group(1), curl.group(2)), curl.group(3) + "=" + curl.group(4));
            assertEquals(200, r.status(), r.body());
            assertEquals("Bearer", r.json().get("token_type").asText());
            assertEquals("back-office", running.oauthlet().verifier().verify(r.json().get("access_token").asText()).audience());
        }
    }

    @Test
    void launchWhenHelpThenUsageAndExitZero() throws Exception {
        JettyExample.Launch launch = launch("--help");
        assertEquals(0, launch.exitCode());
        assertNull(launch.running());
        assertTrue(out().contains("--config=FILE"), out());
        assertTrue(out().contains("--port=N"), out());
        assertTrue(out().contains("clients"), "the administration commands are listed: " + out());
    }

    @Test
    void launchWhenPortNotANumberThenExitTwoWithMessage() throws Exception {
        JettyExample.Launch launch = launch("--port", "eighty");
        assertEquals(2, launch.exitCode());
        assertTrue(err().startsWith("Invalid value for option '--port': 'eighty' is not a port number (0 to 65535; 0 picks a free one)"), err());
    }

    @Test
    void launchWhenUnknownArgumentThenExitTwoWithUsage() throws Exception {
        assertEquals(2, launch("--prot", "8080").exitCode());
        assertTrue(err().startsWith("Unknown options: '--prot', '8080'"), err());
        assertTrue(err().contains("Usage: java -jar jetty-example.jar"), err());
    }

    @Test
    void launchWhenConfigInvalidThenExitTwoNamingFileAndKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, """
                audiences: [a]
                clients:
                  - {id: x, secret: s, grants: [client_credential]}
                """);
        JettyExample.Launch launch = launch("--config", config.toString(), "--port", "0");
        assertEquals(2, launch.exitCode());
        assertTrue(err().startsWith("oauthlet.yml: clients[0].grants[0]: unknown grant 'client_credential' (known: "), err());
    }

    @Test
    void launchWhenResourceFilterInitParamMisspeltThenExitTwoNamingIt(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, """
                audiences: [api]
                clients:
                  - {id: one, secret: one-secret, grants: [client_credentials]}
                example:
                  resources: [{path: /v1/gifts, audience: api, filter: {revocation_check: "true"}}]
                """);
        JettyExample.Launch launch = launch("--config", config.toString(), "--port", "0");
        assertEquals(2, launch.exitCode());
        assertTrue(err().startsWith("example.resources (path /v1/gifts).filter: unknown init-param 'revocation_check' (known: "), err());
    }

    @Test
    void launchWhenConfigGivenThenServesItsTokenPaths(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, """
                storage:
                  url: memory
                endpoints:
                  token:
                    - path: /v1/oauth
                      formats: [form]
                    - path: /oauth2-token
                      formats: [json]
                audiences: [api]
                clients:
                  - {id: one, secret: one-secret, grants: [client_credentials]}
                """);
        JettyExample.Launch launch = launch("--config", config.toString(), "--port", "0");
        try (JettyExample.Running running = launch.running()) {
            List<Integer> statuses = new ArrayList<>();
            statuses.add(Http.postForm(running.url() + "/v1/oauth", null,
                    Http.form("grant_type", "client_credentials", "client_id", "one", "client_secret", "one-secret")).status());
            statuses.add(Http.post(running.url() + "/oauth2-token", null, "application/json",
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"one\",\"client_secret\":\"one-secret\"}").status());
            // Each path accepts only its own formats.
            statuses.add(Http.post(running.url() + "/v1/oauth", null, "application/json",
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"one\",\"client_secret\":\"one-secret\"}").status());
            assertEquals(List.of(200, 200, 415), statuses);
            assertTrue(out().contains("listening on " + running.url()));
        }
    }
}
