package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's "Clients that register themselves": its curl commands, run with bash as printed
 * against the example started with examples/registration.yml and the initial access token from
 * the environment, register a client, get a token with it, read and delete the registration.
 */
class RegistrationReadmeTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final String MARKER = "## Clients that register themselves";

    @Test
    void readmeCommandsWhenRunAsPrintedThenTheClientRegistersGetsATokenAndIsDeleted() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String token = dev.oauthlet.crypto.Hashes.randomToken(32);
        // The file names ${REGISTRATION_TOKEN}: a system property stands in for the server's environment.
        System.setProperty("REGISTRATION_TOKEN", token);
        ExampleConfig config;
        try {
            config = ExampleConfig.read(MODULE.resolve("examples/registration.yml"));
        } finally {
            System.clearProperty("REGISTRATION_TOKEN");
        }
        try (JettyExample.Running running = JettyExample.createServer(config, "127.0.0.1", port)) {
            // The first two lines make the token and start the server, which this test has done.
            String script = String.join("\n", ShellSnippets.block(MODULE.resolve("../README.md"), MARKER).lines()
                    .filter(l -> !l.startsWith("export REGISTRATION_TOKEN=") && !l.startsWith("java -jar")).toList());
            List<String> out = ShellSnippets.run(script, port, Map.of("REGISTRATION_TOKEN", token)).lines().toList();

            // curl -s prints a body without a line break: the token, the registration and the 204 share a line, as in a terminal.
            assertEquals(2, out.size(), String.join("\n", out));
            String tokenAnswer = out.get(0).substring(0, out.get(0).indexOf("}{") + 1);
            String read = out.get(0).substring(tokenAnswer.length(), out.get(0).length() - 3);
            assertTrue(tokenAnswer.startsWith("{\"access_token\":\"") && tokenAnswer.endsWith("\"scope\":\"orders:read\"}"), tokenAnswer);
            assertTrue(read.startsWith("{\"client_id\":\"") && read.contains("\"client_secret_expires_at\":0,")
                    && read.contains("\"registration_client_uri\":\"http://127.0.0.1:" + port + "/oauth/register/")
                    && read.contains("\"client_name\":\"Reports\""), read);
            assertTrue(!read.contains("\"client_secret\":"), "a read answers no secret");
            assertTrue(out.get(0).endsWith("}204"), out.get(0));
            assertEquals("{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}", out.get(1));
        }
    }
}
