package dev.oauthlet.config;

import java.nio.file.Path;

/**
 * The one directory a relative H2 file ({@code storage.url}) and a relative {@code signing.key-file}
 * are resolved against: the system property {@value #PROPERTY}, else the environment variable
 * {@value #VARIABLE}, else the directory of a file-based configuration. Never the process's working
 * directory, which depends on who started the container: a server started from elsewhere would
 * silently open a fresh database with a new signing key.
 */
public final class BaseDirectory {

    /** The system property naming the base directory. */
    public static final String PROPERTY = "oauthlet.home";
    /** The environment variable naming the base directory. */
    public static final String VARIABLE = "OAUTHLET_HOME";

    private BaseDirectory() {
    }

    /** {@value #PROPERTY} or {@value #VARIABLE} when set, else {@code fallback} (may be {@code null}), absolute. */
    public static Path of(Path fallback) {
        String set = System.getProperty(PROPERTY);
        if (set == null || set.isBlank()) {
            set = System.getenv(VARIABLE);
        }
        Path p = set != null && !set.isBlank() ? Path.of(set) : fallback;
        return p == null ? null : p.toAbsolutePath().normalize();
    }

    /**
     * {@code config} with a relative H2 file and key file made absolute against {@code base}.
     *
     * @param base {@code null} when there is none (a {@code classpath:} configuration without {@value #PROPERTY})
     * @throws ConfigException when a path is relative and there is no base directory
     */
    public static OauthletConfig resolve(OauthletConfig config, Path base) {
        return resolveKeyFile(resolveStorage(config, base), base);
    }

    /** {@code config} with a relative H2 file in {@code storage.url} made absolute; see {@link #resolve}. */
    public static OauthletConfig resolveStorage(OauthletConfig config, Path base) {
        String url = config.storage().url();
        String resolved = resolveH2(url, base);
        return resolved.equals(url) ? config : config.withStorage(config.storage().withUrl(resolved));
    }

    /** {@code config} with a relative {@code signing.key-file} made absolute; see {@link #resolve}. */
    public static OauthletConfig resolveKeyFile(OauthletConfig config, Path base) {
        Path keyFile = config.signing().keyFile();
        if (keyFile == null || keyFile.isAbsolute()) {
            return config;
        }
        if (base == null) {
            throw missing("signing.key-file", keyFile.toString());
        }
        SigningConfig s = config.signing();
        return config.withSigning(new SigningConfig(s.algorithm(), s.rotation(), base.resolve(keyFile).normalize(), s.keyPassword(),
                s.keyEncryption()));
    }

    /** The file path of an embedded H2 URL ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}), or {@code null} for another URL. */
    public static String h2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return null;
        }
        String rest = url.substring("jdbc:h2:".length());
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.matches("^[A-Za-z][A-Za-z0-9]+:.*")) {
            return null; // mem:, tcp:, ssl:, zip:, ...
        }
        int settings = rest.indexOf(';');
        return settings < 0 ? rest : rest.substring(0, settings);
    }

    static String resolveH2(String url, Path base) {
        String file = h2File(url);
        if (file == null || file.startsWith("~") || Path.of(file).isAbsolute()) {
            return url;
        }
        if (base == null) {
            throw missing("storage.url", url);
        }
        int settings = url.indexOf(';');
        return "jdbc:h2:file:" + base.resolve(file).normalize() + (settings < 0 ? "" : url.substring(settings));
    }

    private static ConfigException missing(String key, String value) {
        return new ConfigException(key + ": '" + value + "' is a relative path and there is no base directory to resolve it against "
                + "(set the system property " + PROPERTY + " or the environment variable " + VARIABLE
                + " to the directory for Oauthlet's data, or write an absolute path)");
    }
}
