package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.SeedServer.Reply;
import dev.oauthlet.servlet.BearerTokenFilter;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPoP at a remote resource server (RFC 9449 §7): a {@link BearerTokenFilter} in another Jetty,
 * with no Oauthlet of its own, that finds the keys through the issuer's metadata, takes {@code htu}
 * from its {@code public-url} only (what clients call through a proxy, whatever URL reaches the
 * container) and keeps used {@code jti}s in its own memory, one such memory per node.
 */
class RemoteFilterDpopTest {

    static final String PUBLIC = "https://api.example.test";
    static SeedServer issuer;
    static Server[] nodes = new Server[2];
    static String[] nodeUrls = new String[2];
    static final ECKey KEY = HandMadeJwts.ecKey(null);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        issuer = SeedServer.start(SeedServer.yaml("""
                signing: {algorithm: ES256}
                audiences: [orders]
                clients:
                  - id: service
                    secret-hash: "%s"
                    grants: [client_credentials]
                    audience: orders
                    scopes: [orders:read]
                    dpop: allowed
                example:
                  resources: []
                """.formatted(new SecretHasher(1000).hash("service-secret"))));
        for (int i = 0; i < nodes.length; i++) {
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.addFilter(new FilterHolder(new BearerTokenFilter(null, Map.of("issuer", issuer.url(), "audience", "orders",
                    "public-url", PUBLIC))), "/api/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new MeServlet()), "/api/*");
            jetty.setHandler(context);
            jetty.start();
            nodes[i] = jetty;
            nodeUrls[i] = "http://127.0.0.1:" + connector.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Server n : nodes) {
            if (n != null) {
                n.stop();
            }
        }
        issuer.close();
    }

    static String boundToken() throws Exception {
        Reply r = issuer.post("/oauth/token", "grant_type=client_credentials", "Authorization", SeedServer.basic("service", "service-secret"),
                "Content-Type", "application/x-www-form-urlencoded", "DPoP", HandMadeJwts.proof(KEY, "POST", issuer.url() + "/oauth/token", null));
        r.assertStatus(200);
        assertEquals("DPoP", r.text("token_type"));
        return r.text("access_token");
    }

    static HttpResponse<String> call(int node, String authorization, String proof) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodeUrls[node] + "/api/orders/me")).header("Authorization", authorization);
        if (proof != null) {
            b.header("DPoP", proof);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertDpopRefused(HttpResponse<String> r, String why) {
        assertEquals(401, r.statusCode(), r.body());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("DPoP error=\"invalid_dpop_proof\", error_description=\"") && challenge.contains(why), challenge);
    }

    @Test
    void remoteFilterWhenProofNamesThePublicUrlThenAcceptedThoughTheContainerSawAnotherUrl() throws Exception {
        String token = boundToken();

        HttpResponse<String> r = call(0, "DPoP " + token, HandMadeJwts.proof(KEY, "GET", PUBLIC + "/api/orders/me", token));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("service", ExampleFixtures.json(r.body()).get("client_id").asText());
    }

    @Test
    void remoteFilterWhenProofNamesTheUrlTheContainerSawThenRefusedSinceOnlyThePublicUrlCounts() throws Exception {
        String token = boundToken();

        assertDpopRefused(call(0, "DPoP " + token, HandMadeJwts.proof(KEY, "GET", nodeUrls[0] + "/api/orders/me", token)), "htu");
    }

    @Test
    void remoteFilterWhenProofReplayedThenRefusedByThatNodeWhichRemembersItsOwnJtisOnly() throws Exception {
        String token = boundToken();
        String proof = HandMadeJwts.proof(KEY, "GET", PUBLIC + "/api/orders/me", token);

        assertEquals(200, call(0, "DPoP " + token, proof).statusCode());
        assertDpopRefused(call(0, "DPoP " + token, proof), "used before");
        // Each node keeps its jtis in memory (docs/security.md): another node sees this proof for the first time.
        assertEquals(200, call(1, "DPoP " + token, proof).statusCode());
        assertDpopRefused(call(1, "DPoP " + token, proof), "used before");
    }

    @Test
    void remoteFilterWhenBoundTokenSentAsBearerThenInvalidToken() throws Exception {
        String token = boundToken();

        HttpResponse<String> r = call(0, "Bearer " + token, HandMadeJwts.proof(KEY, "GET", PUBLIC + "/api/orders/me", token));

        assertEquals(401, r.statusCode(), r.body());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer realm=\"oauthlet\", error=\"invalid_token\", ") && challenge.contains("DPoP-bound"), challenge);
    }
}
