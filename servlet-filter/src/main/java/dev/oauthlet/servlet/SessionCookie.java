package dev.oauthlet.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The browser session cookie of the authorization endpoint: {@code HttpOnly} (no script reads
 * it), {@code SameSite=Lax} (no cross-site form post carries it), {@code Secure} when served over
 * https, scoped to the endpoint's path, and gone when the browser closes. Its value is sealed by
 * {@link dev.oauthlet.authorize.SessionSealer}.
 */
final class SessionCookie {

    static final String NAME = "oauthlet_session";

    private SessionCookie() {
    }

    /** The cookie's value, or {@code null}. */
    static String read(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (NAME.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * Sets the cookie. Written as a raw header so every attribute is exactly as intended,
     * whatever the container's cookie defaults.
     *
     * @param secure add {@code Secure}: the request came over https, or the issuer is https (behind a proxy)
     */
    static void write(HttpServletResponse resp, String path, String value, boolean secure) {
        resp.addHeader("Set-Cookie", header(path, value, secure));
    }

    static String header(String path, String value, boolean secure) {
        return NAME + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}
