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

    /** Whether {@code host} (as {@link java.net.URI#getHost()} gives it) names this machine: localhost, 127.x.x.x or ::1. */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.equals("::1") || host.startsWith("127.");
    }
}
