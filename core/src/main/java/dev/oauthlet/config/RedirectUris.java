package dev.oauthlet.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Which redirect URIs a client may register: absolute https, or http on a loopback address. */
public final class RedirectUris {

    private RedirectUris() {
    }

    public static boolean isAllowed(String uri) {
        try {
            URI u = new URI(uri);
            if (!u.isAbsolute() || u.getFragment() != null || u.getHost() == null) {
                return false;
            }
            if ("https".equals(u.getScheme())) {
                return true;
            }
            return "http".equals(u.getScheme()) && isLoopback(u.getHost());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether a requested redirect URI matches a registered one: the exact same string; or, for a
     * public (native) client, the same {@code http} loopback IP URI on any port, since the app
     * listens on a port the system hands it at run time (RFC 8252 §7.3). Only the IP literals
     * {@code 127.0.0.1} and {@code [::1]} qualify, not {@code localhost} (§8.3), and only the port
     * may differ: scheme, host, path and query stay exact, and no user info is accepted.
     */
    public static boolean matches(String registered, String given, boolean publicClient) {
        if (registered.equals(given)) {
            return true;
        }
        if (!publicClient) {
            return false;
        }
        String r = withoutLoopbackPort(registered);
        return r != null && r.equals(withoutLoopbackPort(given));
    }

    /** {@code http://127.0.0.1/path?query} for an http loopback IP URI on any port; {@code null} for any other URI. */
    private static String withoutLoopbackPort(String uri) {
        try {
            URI u = new URI(uri);
            String host = u.getHost();
            if (!"http".equals(u.getScheme()) || u.getRawUserInfo() != null || u.getRawFragment() != null
                    || !("127.0.0.1".equals(host) || "[::1]".equals(host))) {
                return null;
            }
            String authority = u.getRawAuthority();
            // The authority must be the bare host with at most a port: nothing the parser skipped over.
            if (!authority.equals(host) && !authority.matches(java.util.regex.Pattern.quote(host) + ":[0-9]{1,5}")) {
                return null;
            }
            return "http://" + host + (u.getRawPath() == null ? "" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Whether {@code host} (as {@link java.net.URI#getHost()} gives it) names this machine: localhost, 127.x.x.x or ::1. */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.equals("::1") || host.startsWith("127.");
    }
}
