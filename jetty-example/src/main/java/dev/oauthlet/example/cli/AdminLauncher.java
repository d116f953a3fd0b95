package dev.oauthlet.example.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.spi.StorageException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an administration command from the command line: over the admin endpoint of a server
 * that runs on the same H2 file store when there is one (its {@link AdminHandle} names it), or
 * else against the store opened in this process — for PostgreSQL always, since the database takes
 * both the server's connections and ours.
 */
public final class AdminLauncher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminLauncher() {
    }

    /** How the command line reads the configuration it was given (or the bundled demo one). */
    @FunctionalInterface
    public interface ConfigReader {
        OauthletConfig read(Path file);
    }

    public static int run(Cli.Parsed parsed, String[] args, InputStream in, PrintWriter out, PrintWriter err, ConfigReader configs) {
        OauthletConfig config;
        try {
            config = configs.read(parsed.config());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Cli.USAGE;
        }
        String password = null;
        if (parsed.needsPassword()) {
            try {
                password = readPassword(in, err);
            } catch (IOException | IllegalStateException e) {
                err.println(e.getMessage());
                err.flush();
                return Cli.FAILED;
            }
        }
        Optional<Path> handleFile = AdminHandle.fileFor(config.storage().url());
        if (handleFile.isPresent() && Files.exists(handleFile.get())) {
            Optional<AdminHandle> handle = AdminHandle.read(handleFile.get());
            if (handle.isPresent()) {
                Optional<Integer> forwarded = forward(handle.get(), args, password, out, err);
                if (forwarded.isPresent()) {
                    return forwarded.get();
                }
            }
        }
        Oauthlet oauthlet;
        try {
            OauthletConfig local = config.issuer() == null ? config.withIssuer("http://127.0.0.1") : config;
            oauthlet = Oauthlet.builder().config(local).build();
        } catch (StorageException e) {
            err.println("cannot open storage " + config.storage().url() + ": " + e.getMessage()
                    + (handleFile.isPresent() ? " (is a server without its admin endpoint running on it? stop it, or run the command there)" : ""));
            err.flush();
            return Cli.FAILED;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Cli.USAGE;
        }
        try (oauthlet) {
            return Cli.runAdmin(parsed, oauthlet.administration(Actor.CLI), password, out, err);
        }
    }

    /** The exit status the server answered, or empty when no server answers at the handle's address (a stale handle). */
    private static Optional<Integer> forward(AdminHandle handle, String[] args, String password, PrintWriter out, PrintWriter err) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("args", Arrays.asList(args));
        body.put("password", password);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(handle.url()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + handle.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                err.println("the running server refused the command (HTTP " + response.statusCode() + " from " + handle.url() + ")");
                err.flush();
                return Optional.of(Cli.FAILED);
            }
            JsonNode answer = JSON.readTree(response.body());
            out.print(answer.get("out").asText());
            out.flush();
            err.print(answer.get("err").asText());
            err.flush();
            return Optional.of(answer.get("exit").asInt());
        } catch (ConnectException e) {
            return Optional.empty();
        } catch (IOException e) {
            err.println("cannot reach the running server at " + handle.url() + ": " + e.getMessage());
            err.flush();
            return Optional.of(Cli.FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Cli.FAILED);
        }
    }

    /** From the terminal without echo, asked twice; else the first line of standard input. */
    static String readPassword(InputStream in, PrintWriter err) throws IOException {
        Console console = in == System.in ? terminal() : null;
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Password again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new IllegalStateException("the passwords differ; nothing changed");
            }
            return new String(first);
        }
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new IllegalStateException("no password on standard input (write it as the first line)");
        }
        return line;
    }

    /** The console if standard input and output are a terminal (JDK 22 returns a console even when they are not). */
    private static Console terminal() {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Object terminal = Console.class.getMethod("isTerminal").invoke(c);
            return Boolean.TRUE.equals(terminal) ? c : null;
        } catch (ReflectiveOperationException e) {
            return c;
        }
    }

}
