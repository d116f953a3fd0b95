package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret, password, token or code in any log line: runs the packaged jar as a process with
 * Oauthlet's loggers at DEBUG, drives every flow — client credentials right and wrong, the
 * command line (add a client, rotate its secret, add a user), the password grant, refresh with
 * rotation and reuse, a lockout, revocation, introspection, the authorization code flow with a
 * replayed code, dynamic client registration — then searches everything the server and the command-line processes wrote for
 * each secret and token that was used. It also checks that the audit trail named each event.
 */
class LogSecretsIT {

    private static final Path JAR = Path.of(System.getProperty("oauthlet.example.jar", "target/jetty-example.jar")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String CALLBACK = "http://127.0.0.1:9/callback";
    private static final String INITIAL_ACCESS_TOKEN = "initial-Access-Token-of-LogSecretsIT-5Rm";

    @TempDir
    Path dir;
    private final StringBuffer log = new StringBuffer();
    private final List<String> secrets = new ArrayList<>();
    private String java;
    private Path config;

    private List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.log.dev.oauthlet=debug", "-jar", JAR.toString()));
        c.addAll(List.of(args));
        c.addAll(List.of("--config", config.toString()));
        return c;
    }

    /**
     * Runs a command-line command. Its log (standard error, where slf4j-simple writes) joins the log
     * searched; its standard output is the command's answer, which prints a new secret once by design.
     */
    private String cli(String stdin, String... args) throws Exception {
        Path err = Files.createTempFile(dir, "cli", ".err");
        Process p = new ProcessBuilder(command(args)).directory(dir.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String logged = Files.readString(err);
        assertEquals(0, p.exitValue(), out + logged);
        log.append(logged);
        return out;
    }

    private static String secretLine(String out) {
        Matcher m = Pattern.compile("(?m)^secret: (\\S+)$").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private String used(String secret) {
        secrets.add(secret);
        return secret;
    }

    private JsonNode ok(Http.Response r) {
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void everyFlowWhenLoggedAtDebugThenNoSecretPasswordTokenOrCodeAppearsAndEachEventIsAudited() throws Exception {
        java = ProcessHandle.current().info().command().orElse("java");
        config = dir.resolve("oauthlet.yml");
        Files.writeString(config, """
                storage:
                  url: jdbc:h2:file:./data/oauthlet
                signing:
                  algorithm: ES256
                tokens:
                  refresh-token-reuse-grace: 0s
                authorization:
                  login-failure-delay: 0s
                audiences: [api]
                clients:
                  - {id: machine, secret: %s, grants: [client_credentials]}
                  - {id: shop, secret: %s, grants: [password, refresh_token]}
                  - {id: partner, secret: %s, grants: [authorization_code, refresh_token], redirect-uris: ["%s"]}
                users:
                  - {username: alice, password: %s}
                registration:
                  initial-access-token: %s
                  policy: {grants: [client_credentials, authorization_code, refresh_token]}
                """.formatted(used("machine-Secret-7Qx"), used("shop-Secret-9Lw"), used("partner-Secret-3Vb"), CALLBACK,
                used("alice-Passw0rd-K2"), used(INITIAL_ACCESS_TOKEN)));
        Process server = new ProcessBuilder(command("--port", "0")).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.append(line).append('\n');
                if (line.startsWith("listening on ")) {
                    url = line.substring("listening on ".length()).strip();
                    break;
                }
            }
            assertTrue(url != null, log.toString());
            Thread drain = new Thread(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        log.append(line).append('\n');
                    }
                } catch (java.io.IOException closed) {
                    // The server stopped.
                }
            }, "drain-server");
            drain.start();
            flows(url);
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            drain.join(10_000);
        } finally {
            server.destroyForcibly();
        }

        String all = log.toString();
        for (String s : secrets) {
            assertTrue(!all.contains(s), "the log shows a secret or token (" + s.substring(0, Math.min(6, s.length())) + "…)");
        }
        for (String event : List.of("event=client_authentication_failed", "event=user_login_failed", "event=user_login_succeeded",
                "event=lockout_started",
                "event=refresh_reuse_detected", "event=code_replayed", "event=token_revoked", "event=client_added",
                "event=client_changed", "event=user_added", "event=client_removed actor=registration", "event=client_added actor=file",
                "event=client_added actor=registration")) {
            assertTrue(all.contains(event), "audited: " + event + "\n" + all);
        }
    }

    private void flows(String url) throws Exception {
        String token = url + "/oauth/token";
        // client_credentials, right and wrong
        secrets.add(ok(Http.postForm(token, Http.basic("machine", "machine-Secret-7Qx"), Http.form("grant_type", "client_credentials")))
                .get("access_token").asText());
        assertEquals(401, Http.postForm(token, Http.basic("machine", used("wrong-Secret-1a")), Http.form("grant_type", "client_credentials")).status());

        // the command line, with the server running: a client, its rotated secret, a user
        String first = used(secretLine(cli("", "clients", "add", "--id", "reports", "--grants", "client_credentials")));
        secrets.add(ok(Http.postForm(token, Http.basic("reports", first), Http.form("grant_type", "client_credentials"))).get("access_token").asText());
        String second = used(secretLine(cli("", "clients", "rotate-secret", "reports", "--overlap", "1h")));
        secrets.add(ok(Http.postForm(token, Http.basic("reports", second), Http.form("grant_type", "client_credentials"))).get("access_token").asText());
        cli(used("carol-Passw0rd-Z8") + "\n", "users", "add", "carol");
        secrets.add(JSON.readTree(Files.readString(dir.resolve("data/oauthlet.admin"))).get("token").asText());

        // password grant, refresh with rotation, reuse of a rotated token
        JsonNode pw = ok(Http.postForm(token, Http.basic("shop", "shop-Secret-9Lw"),
                Http.form("grant_type", "password", "username", "carol", "password", "carol-Passw0rd-Z8")));
        String access = used(pw.get("access_token").asText());
        String r1 = used(pw.get("refresh_token").asText());
        JsonNode rotated = ok(Http.postForm(token, Http.basic("shop", "shop-Secret-9Lw"), Http.form("grant_type", "refresh_token", "refresh_token", r1)));
        used(rotated.get("access_token").asText());
        String r2 = used(rotated.get("refresh_token").asText());
        used(ok(Http.postForm(token, Http.basic("shop", "shop-Secret-9Lw"), Http.form("grant_type", "refresh_token", "refresh_token", r2)))
                .get("refresh_token").asText());
        assertEquals(400, Http.postForm(token, Http.basic("shop", "shop-Secret-9Lw"), Http.form("grant_type", "refresh_token", "refresh_token", r1)).status());

        // wrong passwords up to the lockout
        for (int i = 0; i < 6; i++) {
            Http.postForm(token, Http.basic("shop", "shop-Secret-9Lw"),
                    Http.form("grant_type", "password", "username", "carol", "password", used("guess-" + i + "-Pw")));
        }

        // introspection and revocation
        Http.postForm(url + "/oauth/introspect", Http.basic("shop", "shop-Secret-9Lw"), Http.form("token", access));
        assertEquals(200, Http.postForm(url + "/oauth/revoke", Http.basic("shop", "shop-Secret-9Lw"), Http.form("token", access)).status());

        // dynamic client registration: register, a token with the new secret, read, a wrong registration token, delete
        Http.Response registered = Http.post(url + "/oauth/register", "Bearer " + INITIAL_ACCESS_TOKEN, "application/json",
                "{\"grant_types\": [\"client_credentials\"], \"client_name\": \"Registered\"}");
        assertEquals(201, registered.status(), registered.body());
        String registeredId = registered.json().get("client_id").asText();
        String registeredSecret = used(registered.json().get("client_secret").asText());
        String registrationToken = used(registered.json().get("registration_access_token").asText());
        String registrationUri = registered.json().get("registration_client_uri").asText();
        used(ok(Http.postForm(token, Http.basic(registeredId, registeredSecret), Http.form("grant_type", "client_credentials")))
                .get("access_token").asText());
        ok(Http.get(registrationUri, "Bearer " + registrationToken));
        assertEquals(401, Http.get(registrationUri, "Bearer " + used("wrong-Registration-Token-4Tq")).status());
        assertEquals(401, Http.post(url + "/oauth/register", "Bearer " + used("wrong-Initial-Token-8Pd"), "application/json", "{}").status());
        assertEquals(204, Http.delete(registrationUri, "Bearer " + registrationToken).status());

        // authorization code with PKCE, then the code replayed
        used(VERIFIER);
        BrowserlessClient browser = new BrowserlessClient(url);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", "partner");
        p.put("response_type", "code");
        p.put("redirect_uri", CALLBACK);
        p.put("state", "s-1");
        p.put("code_challenge", CHALLENGE);
        p.put("code_challenge_method", "S256");
        HttpResponse<String> login = browser.get("/oauth/authorize?" + BrowserlessClient.encode(p));
        HttpResponse<String> signedIn = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", "alice", "password", "alice-Passw0rd-K2"));
        HttpResponse<String> consent = browser.get(header(signedIn, "Location"));
        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        String location = header(allowed, "Location");
        String code = used(query(location).get("code"));
        used(browser.session().substring(browser.session().indexOf('=') + 1));
        String exchange = Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER);
        JsonNode tokens = ok(Http.postForm(token, Http.basic("partner", "partner-Secret-3Vb"), exchange));
        used(tokens.get("access_token").asText());
        used(tokens.get("refresh_token").asText());
        assertEquals(400, Http.postForm(token, Http.basic("partner", "partner-Secret-3Vb"), exchange).status());
    }
}
