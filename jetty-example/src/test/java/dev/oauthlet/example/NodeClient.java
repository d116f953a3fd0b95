package dev.oauthlet.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js client program from {@code src/test/node/NAME}, with its npm packages installed from
 * the lock file ({@code npm ci}) into {@code target/node/NAME}: nothing but npm packages is
 * fetched, and only when the lock file changed. Where Node.js is missing the test is skipped,
 * unless {@code -Doauthlet.browser-test=required} (CI) makes that a failure.
 */
final class NodeClient {

    static final String INSTALL_HINT = "Node.js and npm are not installed; the end-to-end client test needs them "
            + "(sudo apt-get install -y nodejs npm), or -Doauthlet.node=PATH -Doauthlet.npm=PATH";

    private NodeClient() {
    }

    static String node() {
        return System.getProperty("oauthlet.node", "node");
    }

    private static String npm() {
        return System.getProperty("oauthlet.npm", "npm");
    }

    /** {@code true} when node and npm run; otherwise says why on standard error, or throws when the test is required. */
    static boolean installedOrRequired() {
        boolean installed = runs(node(), "--version") && runs(npm(), "--version");
        if (!installed && "required".equals(System.getProperty("oauthlet.browser-test"))) {
            throw new IllegalStateException(INSTALL_HINT);
        }
        if (!installed) {
            System.err.println("Skipping the Node.js client test. " + INSTALL_HINT);
        }
        return installed;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The program's directory, its packages installed as its package-lock.json says. */
    static Path prepare(String name) throws IOException, InterruptedException {
        Path module = Path.of(System.getProperty("basedir", "."));
        Path source = module.resolve("src/test/node").resolve(name);
        Path dir = module.resolve("target/node").resolve(name);
        Files.createDirectories(dir);
        byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
        Path installed = dir.resolve("node_modules/.package-lock.json.source");
        boolean current = Files.exists(installed) && java.util.Arrays.equals(Files.readAllBytes(installed), lock);
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!current) {
            Process p = new ProcessBuilder(List.of(npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error")).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed:\n" + out);
            }
            Files.write(installed, lock);
        }
        return dir;
    }
}
