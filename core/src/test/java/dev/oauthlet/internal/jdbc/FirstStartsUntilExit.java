package dev.oauthlet.internal.jdbc;

import dev.oauthlet.config.StorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that opens new H2 files one after another (a first start each: pool, schema migrations)
 * and, once two have finished, exits a moment into the next, as a server does that gets SIGTERM
 * while it starts. Every start prints one line. Run by {@link JdbcStorageExitTest}.
 *
 * <p>Arguments: the directory for the files, how many milliseconds into a start to exit, and an
 * optional suffix for the JDBC URL (H2 settings such as {@code ;DB_CLOSE_ON_EXIT=TRUE}).
 */
final class FirstStartsUntilExit {

    private FirstStartsUntilExit() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        long intoStartMillis = Long.parseLong(args[1]);
        String suffix = args.length > 2 ? args[2] : "";
        Semaphore finished = new Semaphore(0);
        Thread starts = new Thread(() -> {
            for (int i = 0; ; i++) {
                String url = "jdbc:h2:file:" + dir.resolve("start-" + i) + suffix;
                try {
                    new JdbcStorage(new StorageConfig(url, "sa", "", 2, Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO)).close();
                    System.out.println("start " + i + " done");
                    finished.release();
                } catch (RuntimeException e) {
                    System.out.println("start " + i + " failed: " + e.getMessage());
                }
                System.out.flush();
            }
        }, "first-starts");
        starts.setDaemon(true);
        starts.start();
        if (!finished.tryAcquire(2, 60, TimeUnit.SECONDS)) {
            System.out.println("two first starts took more than 60 s");
        }
        // A server's own hook (the example's graceful stop) keeps the JVM a moment longer, so a failing start gets to say so.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Thread.sleep(intoStartMillis);
        System.exit(0);
    }
}
