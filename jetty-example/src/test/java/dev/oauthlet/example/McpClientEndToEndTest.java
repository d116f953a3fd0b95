package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The MCP shape, end to end, with no client code of ours: the MCP TypeScript SDK's OAuth client
 * (from npm, run by Node.js; {@code src/test/node/mcp-client}) calls a protected resource, finds
 * the authorization server from the 401's {@code resource_metadata} (RFC 9728, then RFC 8414), and
 * runs the authorization code flow with PKCE and an RFC 8707 {@code resource}; a real headless
 * Chromium signs the user in and allows access; the SDK exchanges the code and gets a token whose
 * {@code aud} is that resource, which the resource accepts and another API refuses.
 */
class McpClientEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mcpSdkWhenItMeetsA401ThenDiscoversTheServerAndGetsAResourceAudiencedTokenThroughTheBrowser() throws Exception {
        Assumptions.assumeTrue(NodeClient.installedOrRequired(), NodeClient.INSTALL_HINT);
        Assumptions.assumeTrue(HeadlessChromium.installedOrRequired(), HeadlessChromium.INSTALL_HINT);
        Path client = NodeClient.prepare("mcp-client");

        List<String> callbackHits = new CopyOnWriteArrayList<>();
        HttpServer callbackServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callbackServer.createContext("/callback", exchange -> {
            callbackHits.add(exchange.getRequestURI().toString());
            byte[] page = "<!doctype html><title>MCP client</title><p>Done.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        callbackServer.start();
        String callback = "http://127.0.0.1:" + callbackServer.getAddress().getPort() + "/callback";
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        String resource = base + "/mcp";
        String yaml = """
                audiences: [back-office, %1$s]
                scopes:
                  tools:call: Use the tools of the MCP server
                clients:
                  - id: mcp-client
                    name: MCP Inspector
                    public: true
                    grants: [authorization_code, refresh_token]
                    audience: back-office
                    audiences: [%1$s]
                    scopes: [tools:call]
                    redirect-uris: [%2$s]
                users:
                  - username: alice
                    password: alice-password
                authorization:
                  login-failure-delay: 0s
                example:
                  resources:
                    - path: /mcp
                      resource: %1$s
                    - path: /api/back-office/*
                      audience: back-office
                """.formatted(resource, callback);
        ExampleConfig config = ExampleConfig.read("mcp.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        Process node = null;
        try (JettyExample.Running server = JettyExample.createServer(config, "127.0.0.1", port);
             HeadlessChromium chromium = HeadlessChromium.start()) {
            node = new ProcessBuilder(NodeClient.node(), "authorize.mjs", resource, callback, "mcp-client").directory(client.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null, "the SDK printed no authorization URL");
            String authorize = JSON.readTree(first).get("authorize").asText();
            Map<String, String> asked = BrowserlessClient.query(authorize);
            assertTrue(authorize.startsWith(base + "/oauth/authorize?"), authorize);
            assertEquals(resource, asked.get("resource"));
            assertEquals("S256", asked.get("code_challenge_method"));
            assertEquals("tools:call", asked.get("scope"), "the SDK took the scope from the resource's metadata");

            chromium.driver.get(authorize);
            WebDriverWait wait = new WebDriverWait(chromium.driver, Duration.ofSeconds(15));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
            chromium.driver.findElement(By.id("password")).sendKeys("alice-password");
            chromium.driver.findElement(By.cssSelector("button[value=login]")).click();
            WebElement apis = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".resources")));
            assertEquals(resource, apis.getText().strip(), "the consent page names the API the token is for");
            chromium.driver.findElement(By.cssSelector("button[value=allow]")).click();
            wait.until(d -> d.getCurrentUrl().startsWith(callback));
            Map<String, String> back = BrowserlessClient.query(chromium.driver.getCurrentUrl());
            assertEquals("mcp-e2e-state", back.get("state"));
            assertEquals(base, back.get("iss"));
            assertEquals(1, callbackHits.size(), callbackHits.toString());

            try (Writer in = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
                in.write(back.get("code") + "\n");
            }
            String last = out.readLine();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the SDK did not finish");
            assertEquals(0, node.exitValue(), "the SDK failed: " + last);
            JsonNode outcome = JSON.readTree(last);
            assertEquals("AUTHORIZED", outcome.get("result").asText());
            assertEquals(base, outcome.at("/discovery/authorizationServerUrl").asText().replaceAll("/$", ""),
                    "the SDK found the authorization server in the resource's metadata");
            assertEquals(200, outcome.get("status").asInt(), outcome.toString());
            assertEquals("alice", outcome.at("/body/sub").asText());
            assertEquals(resource, outcome.at("/body/aud").asText());
            String access = outcome.at("/tokens/access_token").asText();
            assertEquals(List.of(resource), server.oauthlet().verifier().verify(access).audiences());
            assertEquals("tools:call", outcome.at("/tokens/scope").asText());
            assertTrue(outcome.at("/tokens/refresh_token").isTextual(), outcome.toString());

            HttpResponse<String> elsewhere = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/api/back-office/me")).header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, elsewhere.statusCode(), "a token for the MCP server does not open another API");
        } finally {
            if (node != null && node.isAlive()) {
                node.destroyForcibly();
            }
            callbackServer.stop(0);
        }
    }
}
