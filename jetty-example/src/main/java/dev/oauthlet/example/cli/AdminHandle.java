package dev.oauthlet.example.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * How the command line finds a server that holds an H2 file store open: the server writes
 * {@code <database>.admin} next to the database file — its loopback admin URL and a random token
 * — readable only by the account that runs it, and deletes it when it stops. Whoever can read
 * that file could open the database file itself, so the token grants nothing more.
 *
 * @param url   the admin endpoint, always on 127.0.0.1
 * @param token the bearer token it requires
 */
public record AdminHandle(String url, String token) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The handle file for a {@code jdbc:h2:file:} (or {@code jdbc:h2:} path) URL; empty for other
     * stores: PostgreSQL takes the command line's connections beside the server's, and a memory
     * store is private to its process.
     */
    public static Optional<Path> fileFor(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")) {
            return Optional.empty();
        }
        int semicolon = rest.indexOf(';');
        String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Optional.of(Path.of(path + ".admin").toAbsolutePath().normalize());
    }

    public static Optional<AdminHandle> read(Path file) {
        try {
            JsonNode j = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return Optional.of(new AdminHandle(j.get("url").asText(), j.get("token").asText()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the handle owner-readable only, atomically, so a reader never sees half of it. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, JSON.writeValueAsString(Map.of("url", url, "token", token)), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the file if it is still this handle (a later server on the same store may have replaced it). */
    public void deleteIfOurs(Path file) {
        try {
            if (read(file).filter(this::equals).isPresent()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // Best effort: a stale handle only makes the command line try a dead port, then open the store.
        }
    }

    @Override
    public String toString() {
        return "AdminHandle[" + url + "]";
    }
}
