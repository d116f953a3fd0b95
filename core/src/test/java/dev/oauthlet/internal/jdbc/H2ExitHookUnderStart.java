package dev.oauthlet.internal.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One first start on a new H2 file, held at a fixed point while H2's JVM-exit hook runs, as when
 * SIGTERM reaches a server still building its Oauthlet (before any hook of its own is in place): the
 * start's connection has created the schema's first table and is in its next statement (a function
 * that returns only once the hook has done what it does to the session), while the hook H2
 * registered, exactly the {@code Runtime} shutdown hook the JVM would run, runs on another thread.
 * Prints one line per step. Run by {@link JdbcStorageExitTest}; a JVM of its own, because the hook
 * marks H2 as shut down for the rest of the JVM.
 *
 * <p>Arguments: the directory for the file, and {@code oauthlet} (the URL as {@link JdbcStorage}
 * opens it) or {@code h2-default} (the URL as the operator wrote it).
 */
public final class H2ExitHookUnderStart {

    /** Long enough that H2's hook, once it has suspended the start's session, waits for it rather than closing it first. */
    private static final String LOCK_TIMEOUT = ";LOCK_TIMEOUT=60000";
    private static final CountDownLatch IN_STATEMENT = new CountDownLatch(1);
    private static final CountDownLatch HOOK_DONE = new CountDownLatch(1);

    private H2ExitHookUnderStart() {
    }

    /** The start's statement in flight: called by H2 as {@code AWAIT_HOOK()}. */
    public static int awaitHook() throws InterruptedException {
        IN_STATEMENT.countDown();
        HOOK_DONE.await();
        return 1;
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:h2:file:" + Path.of(args[0]).resolve("oauthlet") + LOCK_TIMEOUT;
        String opened = args[1].equals("oauthlet") ? JdbcStorage.jdbcUrl(url) : url;
        Connection c = DriverManager.getConnection(opened, "sa", "");
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE oauthlet_schema_version (version INTEGER PRIMARY KEY)");
            st.execute("CREATE ALIAS AWAIT_HOOK FOR '" + H2ExitHookUnderStart.class.getName() + ".awaitHook'");
        }
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread start = new Thread(() -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT AWAIT_HOOK()").close();
                st.execute("INSERT INTO oauthlet_schema_version (version) VALUES (1)");
                c.commit();
                c.close();
                outcome.set("start went on: migrated");
            } catch (SQLException e) {
                outcome.set("start failed: " + e.getMessage());
            }
        }, "start");
        start.start();
        IN_STATEMENT.await();
        // H2 engine types by reflection: the session's state is how the hook marks it.
        Object h2 = c.unwrap(Class.forName("org.h2.jdbc.JdbcConnection"));
        Object session = h2.getClass().getMethod("getSession").invoke(h2);
        java.lang.reflect.Method state = session.getClass().getMethod("getState");
        java.lang.reflect.Field instance = Class.forName("org.h2.engine.OnExitDatabaseCloser").getDeclaredField("INSTANCE");
        instance.setAccessible(true);
        Thread exitHook = (Thread) instance.get(null);
        Thread hook = new Thread(exitHook::run, "h2-exit-hook");
        hook.start();
        // Either the hook closes the database under the session (it suspends it first, then waits for it to end),
        // or it only writes a checkpoint and ends.
        while (hook.isAlive() && !state.invoke(session).toString().equals("SUSPENDED")) {
            Thread.onSpinWait();
        }
        System.out.println("hook " + (hook.isAlive() ? "suspended the start's session" : "ended"));
        HOOK_DONE.countDown();
        start.join();
        hook.join();
        System.out.println(outcome.get());
    }
}
