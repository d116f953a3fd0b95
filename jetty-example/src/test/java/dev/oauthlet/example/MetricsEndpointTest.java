package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code endpoints.metrics} of the example over real HTTP: Prometheus text, counters that move, off by default, restricted. */
class MetricsEndpointTest {

    private static final SecretHasher CHEAP = new SecretHasher(1000);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static JettyExample.Running start(String metricsSection) throws Exception {
        String yaml = """
                storage: {url: memory}
                signing: {algorithm: ES256}
                audiences: [back-office, storefront]
                clients:
                  - id: backoffice-app
                    secret-hash: %s
                    grants: [client_credentials, password]
                    audience: back-office
                    scopes: [orders:read]
                users:
                  - username: alice
                    password-hash: %s
                authorization:
                  login-failure-delay: 0s
                %s
                """.formatted(CHEAP.hash("backoffice-secret"), CHEAP.hash("alice-password"), metricsSection);
        ExampleConfig config = ExampleConfig.read("metrics-test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        return JettyExample.createServer(config, "127.0.0.1", 0);
    }

    /** The value of the sample {@code name} with exactly {@code labels} ({@code k, v, ...}); 0 when there is none yet. */
    static double sample(String exposition, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = line.substring(0, brace >= 0 ? brace : space);
            if (!sampleName.equals(name)) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) {
                    found.put(m.group(1), m.group(2));
                }
            }
            if (found.equals(wanted)) {
                return Double.parseDouble(line.substring(space + 1));
            }
        }
        return 0;
    }

    private static String scrape(String url) {
        Http.Response r = Http.get(url + "/metrics", null);
        assertEquals(200, r.status(), r.body());
        assertEquals("text/plain;version=0.0.4;charset=utf-8", r.header("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT));
        assertEquals("no-store", r.header("Cache-Control"));
        return r.body();
    }

    @Test
    void metricsWhenEnabledThenPrometheusTextWhoseCountersMoveWithTokensLoginsAndRefusals() throws Exception {
        try (JettyExample.Running server = start("metrics: {enabled: true}")) {
            String url = server.url();
            String before = scrape(url);
            assertTrue(before.contains("# TYPE oauthlet_token_errors_total counter"), before);
            assertEquals(0, sample(before, "oauthlet_token_errors_total", "error", "invalid_grant"));

            Http.Response token = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", "backoffice-secret"),
                    Http.form("grant_type", "client_credentials"));
            assertEquals(200, token.status(), token.body());
            String accessToken = token.json().get("access_token").asText();
            Http.Response badPassword = Http.postForm(url + "/oauth/token", Http.basic("backoffice-app", "backoffice-secret"),
                    Http.form("grant_type", "password", "username", "alice", "password", "not-her-password"));
            assertEquals(400, badPassword.status(), badPassword.body());
            assertEquals(401, Http.get(url + "/api/back-office/me", null).status());
            assertEquals(401, Http.get(url + "/api/back-office/me", "Bearer not.a.token").status());
            assertEquals(200, Http.get(url + "/api/back-office/me", "Bearer " + accessToken).status());
            assertEquals(200, Http.get(url + "/api/back-office/me", "Bearer " + accessToken).status());

            String after = scrape(url);
            assertEquals(1, sample(after, "oauthlet_tokens_issued_total", "client", "backoffice-app", "grant", "client_credentials"), after);
            assertEquals(1, sample(after, "oauthlet_token_requests_seconds_count", "grant", "client_credentials", "outcome", "issued"));
            assertEquals(1, sample(after, "oauthlet_token_requests_seconds_count", "grant", "password", "outcome", "refused"));
            assertEquals(1, sample(after, "oauthlet_token_errors_total", "error", "invalid_grant"));
            assertEquals(1, sample(after, "oauthlet_logins_total", "outcome", "failure"));
            assertEquals(1, sample(after, "oauthlet_bearer_refused_total", "reason", "no_token", "resource", "back-office"));
            assertEquals(1, sample(after, "oauthlet_bearer_refused_total", "reason", "malformed", "resource", "back-office"));
            assertEquals(2, sample(after, "oauthlet_bearer_accepted_total", "resource", "back-office"));
            assertEquals(1, sample(after, "oauthlet_bearer_cache_total", "resource", "back-office", "result", "hit"));
            assertEquals(2, sample(after, "oauthlet_bearer_cache_total", "resource", "back-office", "result", "miss"),
                    "the malformed token and the first use of the good one");
        }
    }

    @Test
    void metricsWhenNotEnabledThen404() throws Exception {
        try (JettyExample.Running server = start("")) {
            assertEquals(404, Http.get(server.url() + "/metrics", null).status());
        }
    }

    @Test
    void metricsWhenTheCallersAddressIsNotAllowedThen403AtTheConfiguredPath() throws Exception {
        try (JettyExample.Running server = start("""
                endpoints:
                  metrics: /ops/metrics
                metrics:
                  enabled: true
                  allowed-addresses: [10.0.0.0/8]
                """)) {
            Http.Response r = Http.get(server.url() + "/ops/metrics", null);
            assertEquals(403, r.status(), r.body());
            assertEquals("access_denied", r.json().get("error").asText());
            assertTrue(!r.body().contains("oauthlet_"), r.body());
            assertEquals(404, Http.get(server.url() + "/metrics", null).status());
        }
    }

    @Test
    void metricsWhenPostedThen405() throws Exception {
        try (JettyExample.Running server = start("metrics: {enabled: true}")) {
            Http.Response r = Http.post(server.url() + "/metrics", null, "application/json", "{}");
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.header("Allow"));
        }
    }

    @Test
    void readmeWhenItsCurlRunsAfterOneTokenThenItPrintsWhatTheReadmeSays() throws Exception {
        Path readme = Path.of(System.getProperty("basedir", "."), "../README.md");
        String script = ShellSnippets.block(readme, "with `metrics: {enabled: true}`:");
        String expected = script.lines().filter(l -> l.startsWith("# ")).map(l -> l.substring(2)).findFirst().orElseThrow();
        try (JettyExample.Running server = start("metrics: {enabled: true}")) {
            assertEquals(200, Http.postForm(server.url() + "/oauth/token", Http.basic("backoffice-app", "backoffice-secret"),
                    Http.form("grant_type", "client_credentials")).status());

            assertEquals(expected, ShellSnippets.run(script, server.port()).strip());
        }
    }
}
