package dev.oauthlet.internal.jdbc;

import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.StorageException;
import java.sql.SQLException;
import java.util.Locale;

/** The one line a store that cannot be opened at start is reported with: which store, what failed, what to do. */
final class StartFailures {

    private StartFailures() {
    }

    static StorageException cannotOpen(StorageConfig config, Throwable e) {
        // The driver's own words (the innermost SQLException) say most; below them is often just "Connection refused".
        Throwable root = e;
        Throwable sql = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof SQLException) {
                sql = t;
            }
        }
        root = sql != null ? sql : root;
        String what = firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        String waited = config.waitAtStart().isZero() ? "" : " after waiting " + config.waitAtStart();
        return new StorageException("storage " + describe(config.url()) + ": cannot open the database" + waited + ": " + what
                + " (" + hint(root, what, config) + ")", e);
    }

    private static String hint(Throwable root, String what, StorageConfig config) {
        String w = what.toLowerCase(Locale.ROOT);
        int code = root instanceof SQLException sql ? sql.getErrorCode() : 0;
        if (code == 90020 || w.contains("already in use")) {
            return "another process, or another deployment in this container, has this H2 file open: stop it, or let several "
                    + "share PostgreSQL or an H2 server; Jetty 12.1 starts a redeployed application before it stops the old one "
                    + "unless jetty.deploy.atomicRedeploy=false";
        }
        if (w.contains("password") || w.contains("authentication") || code == 28000 || code == 28001) {
            return "check storage.username and storage.password";
        }
        if (w.contains("refused") || w.contains("connect") || w.contains("unknownhost") || w.contains("timed out")) {
            return config.waitAtStart().isZero()
                    ? "is the database running and reachable? storage.wait-at-start lets a start wait for it"
                    : "is the database running and reachable?";
        }
        return "check storage.url and that the database accepts connections";
    }

    /** The URL without what may hold credentials: an H2 URL up to its settings, any other up to its query. */
    static String describe(String url) {
        int cut = url.startsWith("jdbc:h2:") ? url.indexOf(';') : url.indexOf('?');
        return cut < 0 ? url : url.substring(0, cut);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
