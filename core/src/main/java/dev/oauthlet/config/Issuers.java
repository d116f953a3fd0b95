package dev.oauthlet.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The one place that checks issuer identifiers, so the configuration file, the builder and the
 * servlet context-param agree on what an issuer is.
 */
public final class Issuers {

    private Issuers() {
    }

    /**
     * This server's own issuer, checked and normalised: an absolute http(s) URL with a host and
     * neither query nor fragment (RFC 8414 §2); a trailing {@code /} is dropped, because endpoint
     * URLs are formed by appending paths to it.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String normalize(String issuer) {
        String s = check(issuer.strip());
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Another server's issuer as a resource server will compare it with {@code iss}: checked but
     * never changed, since {@code iss} must match it character for character. Signing keys are
     * found through it, so it must be {@code https}, or {@code http} on a loopback host.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkRemote(String issuer) {
        check(issuer);
        if (!isSecureOrLoopback(URI.create(issuer))) {
            throw new IllegalArgumentException("must be an https:// URL (http:// only for localhost or 127.0.0.1), got '" + issuer + "'");
        }
        return issuer;
    }

    /** Whether keys may be fetched from {@code uri}: https, or http to a loopback host, which never leaves the machine. */
    public static boolean isSecureOrLoopback(URI uri) {
        return "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && uri.getHost() != null
                && RedirectUris.isLoopback(uri.getHost()));
    }

    private static String check(String issuer) {
        URI u;
        try {
            u = new URI(issuer);
        } catch (URISyntaxException e) {
            u = null;
        }
        if (u == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("must be an http(s) URL such as https://auth.example.com, got '" + issuer + "'");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("must have no query or fragment (RFC 8414 §2), got '" + issuer + "'");
        }
        return issuer;
    }
}
