package dev.oauthlet.example;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's two-API example: its YAML is examples/two-apis.yml, and its curl commands, run as
 * printed against the example started with that file, print what the README's comments say.
 */
class TwoApisReadmeTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path README = MODULE.resolve("../README.md");
    private static final String MARKER = "## Several APIs, one server";

    @Test
    void readmeYamlWhenComparedThenItIsTheExampleFile() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int at = readme.indexOf("```yaml\n", readme.indexOf(MARKER)) + 8;
        String yaml = readme.substring(at, readme.indexOf("```", at));
        assertEquals(Files.readString(MODULE.resolve("examples/two-apis.yml"), StandardCharsets.UTF_8), yaml);
    }

    @Test
    void readmeCommandsWhenRunAsPrintedThenEachApiHasItsOwnTokenAndMetadata() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // The resource URIs name the port, as a deployment's name its host: start on a free one and say so in the file.
        String yaml = Files.readString(MODULE.resolve("examples/two-apis.yml"), StandardCharsets.UTF_8)
                .replace("127.0.0.1:8080", "127.0.0.1:" + port);
        ExampleConfig config = ExampleConfig.read("two-apis.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        try (JettyExample.Running running = JettyExample.createServer(config, "127.0.0.1", port)) {
            String script = ShellSnippets.block(README, MARKER).lines().filter(l -> !l.startsWith("java -jar"))
                    .reduce("", (a, b) -> a + b + "\n");
            List<String> out = ShellSnippets.run(script, port).lines().toList();
            String base = "http://127.0.0.1:" + port;
            assertEquals(List.of(
                    "WWW-Authenticate: Bearer realm=\"oauthlet\", resource_metadata=\"" + base
                            + "/.well-known/oauth-protected-resource/api/orders\"",
                    // DPoP is allowed by default (RFC 9449 §7.1), so the 401 names that scheme too.
                    "WWW-Authenticate: DPoP algs=\"ES256 ES384 RS256 PS256 EdDSA\", resource_metadata=\"" + base
                            + "/.well-known/oauth-protected-resource/api/orders\"",
                    "{\"resource\":\"" + base + "/api/orders\",\"authorization_servers\":[\"" + base + "\"],"
                            + "\"scopes_supported\":[\"invoices:read\",\"orders:read\"],\"bearer_methods_supported\":[\"header\"],"
                            + "\"dpop_signing_alg_values_supported\":[\"ES256\",\"ES384\",\"RS256\",\"PS256\",\"EdDSA\"]}"
                            + "{\"sub\":\"partner\",\"client_id\":\"partner\",\"aud\":\"" + base + "/api/orders\",\"scope\":\"invoices:read orders:read\"}"
                            + "401",
                    "{\"error\":\"invalid_target\",\"error_description\":\"resource 'https://elsewhere.example/' is not available to this client\"}"),
                    out.stream().map(String::strip).toList());
        }
    }
}
