package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administration commands, run as a user types them, against an H2 file store: with no
 * server on it (the command line opens the store itself) and with a server running on it (the
 * command goes to that server's loopback admin endpoint). Effects are checked over HTTP.
 */
class AdminCommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET = Pattern.compile("(?m)^secret: (\\S+)$");

    @TempDir
    Path dir;
    private Path config;
    private JettyExample.Running server;

    /** What one command did. */
    record Result(int exit, String out, String err) {
        String secret() {
            Matcher m = SECRET.matcher(out);
            assertTrue(m.find(), out + err);
            String s = m.group(1);
            assertFalse(m.find(), "the secret is printed once");
            return s;
        }
    }

    @BeforeEach
    void writeConfig() throws Exception {
        config = configIn(dir);
    }

    /** The configuration of a store in {@code where}: an H2 file, one client and one user of the file. */
    private static Path configIn(Path where) throws Exception {
        Path config = where.resolve("oauthlet.yml");
        SecretHasher cheap = new SecretHasher(1000);
        Files.writeString(config, """
                storage:
                  url: jdbc:h2:file:%s
                signing:
                  algorithm: ES256
                audiences: [api, other]
                clients:
                  - {id: declared, secret-hash: "%s", grants: [client_credentials], audience: api}
                users:
                  - {username: fileuser, password-hash: "%s"}
                """.formatted(where.resolve("db").toString().replace('\\', '/'), cheap.hash("declared-secret"), cheap.hash("file-password")));
        return config;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Result runWithInput(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        JettyExample.Launch launch = JettyExample.launch(withConfig, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(null, launch.running());
        return new Result(launch.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) throws Exception {
        return runWithInput("", args);
    }

    private void startServer() throws Exception {
        startServer(dir);
    }

    private void startServer(Path where) throws Exception {
        JettyExample.Launch launch = JettyExample.launch(new String[] {"--config", config.toString(), "--port", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        server = launch.running();
        assertNotNull(server, "server started");
        assertTrue(Files.exists(where.resolve("db.admin")), "the server publishes its admin handle beside the database");
    }

    private Http.Response clientCredentials(String id, String secret) {
        return Http.postForm(server.url() + "/oauth/token", Http.basic(id, secret), Http.form("grant_type", "client_credentials"));
    }

    private Http.Response password(String client, String secret, String user, String pw) {
        return Http.postForm(server.url() + "/oauth/token", Http.basic(client, secret),
                Http.form("grant_type", "password", "username", user, "password", pw));
    }

    private static String kidOf(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.')))).get("kid").asText();
    }

    @Test
    void clientsAddWhenNoServerThenSecretPrintedOnceAndAServerStartedLaterIssuesTokens() throws Exception {
        Result added = run("clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api",
                "--scopes", "orders:read,orders:write");
        assertEquals(0, added.exit(), added.err());
        assertTrue(added.out().startsWith("added client reports\n"), added.out());
        String secret = added.secret();

        startServer();
        Http.Response token = clientCredentials("reports", secret);
        assertEquals(200, token.status(), token.body());
        assertEquals("orders:read orders:write", token.json().get("scope").asText());
        assertEquals(401, clientCredentials("reports", secret + "x").status());
    }

    @Test
    void clientsWhenServerRunningThenAddRotateAndRemoveTakeEffectAtOnce() throws Exception {
        startServer();
        String first = run("clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api").secret();
        assertEquals(200, clientCredentials("reports", first).status());

        Result rotated = run("clients", "rotate-secret", "reports", "--overlap", "1h");
        assertEquals(0, rotated.exit(), rotated.err());
        String second = rotated.secret();
        assertEquals(200, clientCredentials("reports", second).status());
        assertEquals(200, clientCredentials("reports", first).status(), "the old secret works during the overlap");

        String third = run("clients", "rotate-secret", "reports").secret();
        assertEquals(200, clientCredentials("reports", third).status());
        assertEquals(401, clientCredentials("reports", second).status(), "without an overlap the old secrets stop at once");
        assertEquals(401, clientCredentials("reports", first).status());

        Result removed = run("clients", "remove", "reports");
        assertEquals(0, removed.exit(), removed.err());
        assertEquals("removed client reports; revoked 0 refresh tokens\n", removed.out());
        Http.Response refused = clientCredentials("reports", third);
        assertEquals(401, refused.status());
        assertEquals("invalid_client", refused.json().get("error").asText());
    }

    @Test
    void clientsListAndShowWhenServerRunningThenTableAndJsonWithoutSecretsOrHashes() throws Exception {
        startServer();
        String secret = run("clients", "add", "--id", "spa", "--grants", "authorization_code", "--public", "--audience", "api",
                "--redirect-uri", "https://spa.example/cb").out();
        assertFalse(SECRET.matcher(secret).find(), "a public client has no secret");
        String generated = run("clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api").secret();

        Result table = run("clients", "list");
        assertEquals(0, table.exit());
        List<String> lines = table.out().lines().toList();
        assertEquals(4, lines.size(), table.out());
        assertTrue(lines.get(0).startsWith("ID        ORIGIN  TYPE          GRANTS"), table.out());
        assertTrue(lines.get(1).startsWith("declared  file    confidential  client_credentials"), table.out());
        assertTrue(lines.get(2).startsWith("reports   admin   confidential"), table.out());
        assertTrue(lines.get(3).startsWith("spa       admin   public        authorization_code"), table.out());

        Result json = run("clients", "list", "--json");
        JsonNode list = JSON.readTree(json.out());
        assertEquals(3, list.size());
        assertEquals("reports", list.get(1).get("client_id").asText());
        assertEquals(1, list.get(1).get("secrets").size());
        Result show = run("clients", "show", "reports", "--json");
        assertEquals("api", JSON.readTree(show.out()).get("audience").asText());
        for (Result r : List.of(table, json, show, run("clients", "show", "reports"))) {
            assertFalse(r.out().contains(generated) || r.out().contains("sha256$") || r.out().contains("pbkdf2"), r.out());
        }
    }

    @Test
    void clientsWhenDeclaredInFileThenChangingOrRemovingExitsOneAndSaysSo() throws Exception {
        for (boolean running : new boolean[] {false, true}) {
            if (running) {
                startServer();
            }
            Result remove = run("clients", "remove", "declared");
            assertEquals(1, remove.exit());
            assertEquals("client 'declared' is declared in the configuration file; change it there\n", remove.err());
            assertEquals(1, run("clients", "rotate-secret", "declared").exit());
            Result user = run("users", "remove", "fileuser");
            assertEquals(1, user.exit());
            assertEquals("user 'fileuser' is declared in the configuration file; change it there\n", user.err());
        }
        assertEquals(200, clientCredentials("declared", "declared-secret").status());
    }

    @Test
    void exitStatusWhenFailuresAndUsageErrorsThenOneAndTwo() throws Exception {
        run("clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api");
        Result duplicate = run("clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api");
        assertEquals(1, duplicate.exit());
        assertEquals("client 'reports' exists already\n", duplicate.err());
        Result unknown = run("clients", "remove", "nobody");
        assertEquals(1, unknown.exit());
        assertEquals("no client 'nobody'\n", unknown.err());

        Result grant = run("clients", "add", "--id", "x", "--grants", "client_credential", "--audience", "api");
        assertEquals(2, grant.exit());
        assertEquals("unknown grant 'client_credential' (known: authorization_code, client_credentials, password, refresh_token)\n", grant.err());
        Result option = run("clients", "add", "--id", "x", "--grants", "client_credentials", "--scope", "a");
        assertEquals(2, option.exit());
        assertTrue(option.err().startsWith("Unknown options: '--scope', 'a'"), option.err());
        assertTrue(option.err().contains("Usage: java -jar jetty-example.jar clients add"), option.err());
        Result command = run("clients", "delete", "x");
        assertEquals(2, command.exit());
        assertTrue(command.err().contains("Unmatched arguments from index 1: 'delete', 'x'"), command.err());
        Result group = run("clients");
        assertEquals(2, group.exit());
        assertTrue(group.err().startsWith("name a subcommand: add, list, show, rotate-secret, remove"), group.err());
    }

    /** One command of {@link #everyCommandWhenFreshStoreOrServerRunningThenTheSameExitStatusOutputAndErrors}. */
    private record Step(int exit, String stdin, String... args) {
    }

    /** Generated secrets, kids and times differ between two stores; the rest of the output must not. */
    private static String masked(String text) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\S+?Z", "TIME").replaceAll("[A-Za-z0-9_-]{16,}", "X");
    }

    @Test
    void everyCommandWhenFreshStoreOrServerRunningThenTheSameExitStatusOutputAndErrors() throws Exception {
        List<Step> steps = List.of(
                new Step(0, "", "clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api"),
                new Step(1, "", "clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api"),
                new Step(0, "", "clients", "show", "reports"),
                new Step(1, "", "clients", "show", "nobody"),
                new Step(0, "", "clients", "rotate-secret", "reports", "--overlap", "1h"),
                new Step(1, "", "clients", "rotate-secret", "nobody"),
                new Step(0, "", "clients", "list"),
                new Step(0, "", "clients", "list", "--json"),
                new Step(0, "first-password\n", "users", "add", "erin", "--claim", "email=erin@example.com"),
                new Step(1, "other-password\n", "users", "add", "erin"),
                new Step(0, "second-password\n", "users", "passwd", "erin"),
                new Step(1, "second-password\n", "users", "passwd", "nobody"),
                new Step(0, "", "users", "list"),
                new Step(0, "", "users", "list", "--json"),
                new Step(0, "", "keys", "rotate"),
                new Step(0, "", "keys", "list"),
                new Step(0, "", "tokens", "revoke", "--client", "reports"),
                new Step(1, "", "tokens", "revoke", "--client", "nobody"),
                new Step(0, "", "tokens", "revoke", "--user", "erin"),
                new Step(0, "", "users", "remove", "erin"),
                new Step(1, "", "users", "remove", "erin"),
                new Step(1, "", "clients", "remove", "declared"),
                new Step(0, "", "clients", "remove", "reports"),
                new Step(1, "", "clients", "remove", "reports"),
                new Step(2, "", "clients", "add", "--id", "x", "--grants", "implicit", "--audience", "api"),
                new Step(2, "", "users", "rename", "erin"),
                new Step(2, "", "keys", "list", "--yaml"));
        List<List<Result>> byMode = new java.util.ArrayList<>();
        for (boolean running : new boolean[] {false, true}) {
            config = configIn(Files.createDirectories(dir.resolve(running ? "with-server" : "fresh")));
            if (running) {
                startServer(config.getParent());
            }
            List<Result> results = new java.util.ArrayList<>();
            for (Step step : steps) {
                Result r = runWithInput(step.stdin(), step.args());
                assertEquals(step.exit(), r.exit(), (running ? "server running: " : "fresh store: ") + List.of(step.args()) + "\n" + r);
                results.add(r);
            }
            byMode.add(results);
        }
        for (int i = 0; i < steps.size(); i++) {
            Result fresh = byMode.get(0).get(i);
            Result viaServer = byMode.get(1).get(i);
            String what = List.of(steps.get(i).args()).toString();
            assertEquals(masked(fresh.out()), masked(viaServer.out()), what);
            assertEquals(masked(fresh.err()), masked(viaServer.err()), what);
        }
        // The running server saw every change: the removed client is refused, the rotated key signs.
        assertEquals(401, clientCredentials("reports", byMode.get(1).get(4).secret()).status());
        String kid = byMode.get(1).get(14).out().replace("rotated the signing key; new kid ", "").strip();
        assertEquals(kid, kidOf(clientCredentials("declared", "declared-secret").json().get("access_token").asText()));
    }

    @Test
    void helpWhenAskedOfEveryCommandThenUsageAndExitZero() throws Exception {
        List<List<String>> commands = List.of(List.of(), List.of("serve"), List.of("clients"), List.of("clients", "add"),
                List.of("clients", "list"), List.of("clients", "show"), List.of("clients", "rotate-secret"), List.of("clients", "remove"),
                List.of("users"), List.of("users", "add"), List.of("users", "list"), List.of("users", "passwd"), List.of("users", "remove"),
                List.of("keys"), List.of("keys", "list"), List.of("keys", "rotate"), List.of("tokens"), List.of("tokens", "revoke"));
        for (List<String> c : commands) {
            String[] args = new java.util.ArrayList<>(c) {{ add("--help"); }}.toArray(String[]::new);
            Result help = run(args);
            assertEquals(0, help.exit(), c + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: java -jar jetty-example.jar" + (c.isEmpty() ? "" : " " + String.join(" ", c))), c + ": " + help.out());
        }
    }

    @Test
    void usersWhenServerRunningThenAddPasswdAndRemoveTakeEffectAndRemovalRevokesRefreshTokens() throws Exception {
        startServer();
        String app = run("clients", "add", "--id", "shop", "--grants", "password,refresh_token", "--audience", "api").secret();
        Result added = runWithInput("s3cret-password\n", "users", "add", "carol", "--tenant", "merchant:m-1", "--claim", "email=carol@example.com");
        assertEquals(0, added.exit(), added.err());
        assertEquals("added user carol\n", added.out());
        Http.Response token = password("shop", app, "carol", "s3cret-password");
        assertEquals(200, token.status(), token.body());
        String refresh = token.json().get("refresh_token").asText();

        Result listed = run("users", "list", "--json");
        JsonNode carol = JSON.readTree(listed.out()).get(0);
        assertEquals("carol", carol.get("username").asText());
        assertEquals("m-1", carol.get("tenants").get(0).get("id").asText());
        assertFalse(listed.out().contains("s3cret") || listed.out().contains("pbkdf2"), listed.out());

        assertEquals(0, runWithInput("new-password\n", "users", "passwd", "carol").exit());
        assertEquals(400, password("shop", app, "carol", "s3cret-password").status());
        assertEquals(200, password("shop", app, "carol", "new-password").status());

        Result removed = run("users", "remove", "carol");
        assertEquals(0, removed.exit(), removed.err());
        assertTrue(removed.out().startsWith("removed user carol; revoked "), removed.out());
        assertEquals(400, password("shop", app, "carol", "new-password").status());
        Http.Response refreshed = Http.postForm(server.url() + "/oauth/token", Http.basic("shop", app),
                Http.form("grant_type", "refresh_token", "refresh_token", refresh));
        assertEquals("invalid_grant", refreshed.json().get("error").asText());
    }

    @Test
    void hashSecretWhenSecretOnStandardInputThenPrintsAPbkdf2HashOfIt() throws Exception {
        Result r = runWithInput("chosen-secret\n", "--hash-secret");
        assertEquals(0, r.exit(), r.err());
        String hash = r.out().strip();
        assertTrue(hash.startsWith("pbkdf2-sha256$600000$"), hash);
        assertTrue(SecretHasher.matches("chosen-secret", hash));
    }

    @Test
    void usersAddWhenNoPasswordOnStandardInputThenExitOne() throws Exception {
        Result r = runWithInput("", "users", "add", "dave");
        assertEquals(1, r.exit());
        assertEquals("no password on standard input (write it as the first line)\n", r.err());
    }

    @Test
    void keysWhenServerRunningThenRotateMakesTheNewKeySignAndListShowsBoth() throws Exception {
        startServer();
        String app = run("clients", "add", "--id", "reports", "--grants", "client_credentials", "--audience", "api").secret();
        String before = kidOf(clientCredentials("reports", app).json().get("access_token").asText());

        Result rotated = run("keys", "rotate");
        assertEquals(0, rotated.exit(), rotated.err());
        String kid = rotated.out().replace("rotated the signing key; new kid ", "").strip();
        assertEquals(kid, kidOf(clientCredentials("reports", app).json().get("access_token").asText()));

        JsonNode keys = JSON.readTree(run("keys", "list", "--json").out());
        assertEquals(2, keys.size());
        assertEquals(kid, keys.get(0).get("kid").asText());
        assertEquals("active", keys.get(0).get("state").asText());
        assertEquals(before, keys.get(1).get("kid").asText());
        assertEquals("retired", keys.get(1).get("state").asText());
        assertEquals("ES256", keys.get(1).get("algorithm").asText());
        assertTrue(run("keys", "list").out().startsWith("KID"), "a table by default");
    }

    @Test
    void tokensRevokeWhenClientOrUserThenTheirRefreshTokensAreRefused() throws Exception {
        startServer();
        String app = run("clients", "add", "--id", "shop", "--grants", "password,refresh_token", "--audience", "api").secret();
        runWithInput("pw-one\n", "users", "add", "erin");
        String byClient = password("shop", app, "erin", "pw-one").json().get("refresh_token").asText();

        Result revoked = run("tokens", "revoke", "--client", "shop");
        assertEquals(0, revoked.exit(), revoked.err());
        assertEquals("revoked 1 refresh token of client shop\n", revoked.out());
        assertEquals("invalid_grant", Http.postForm(server.url() + "/oauth/token", Http.basic("shop", app),
                Http.form("grant_type", "refresh_token", "refresh_token", byClient)).json().get("error").asText());

        String byUser = password("shop", app, "erin", "pw-one").json().get("refresh_token").asText();
        assertEquals("revoked 1 refresh token of user erin\n", run("tokens", "revoke", "--user", "erin").out());
        assertEquals("invalid_grant", Http.postForm(server.url() + "/oauth/token", Http.basic("shop", app),
                Http.form("grant_type", "refresh_token", "refresh_token", byUser)).json().get("error").asText());
        assertEquals(2, run("tokens", "revoke").exit(), "one of --client and --user is required");
    }

    @Test
    void adminEndpointWhenWrongTokenThenUnauthorizedAndItListensOnLoopbackOnly() throws Exception {
        startServer();
        JsonNode handle = JSON.readTree(Files.readString(dir.resolve("db.admin")));
        String url = handle.get("url").asText();
        assertTrue(url.startsWith("http://127.0.0.1:"), url);
        Http.Response refused = Http.post(url, "Bearer wrong", "application/json", "{\"args\":[\"clients\",\"list\"]}");
        assertEquals(401, refused.status());
        Http.Response served = Http.post(url, "Bearer " + handle.get("token").asText(), "application/json",
                "{\"args\":[\"serve\"]}");
        assertEquals(2, served.json().get("exit").asInt(), "only administration commands run there");
        server.close();
        server = null;
        assertFalse(Files.exists(dir.resolve("db.admin")), "a stopped server removes its handle");
    }
}
