package dev.oauthlet.servlet;

import dev.oauthlet.authorize.Authorizer;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The browser session cookie of the authorization and logout endpoints: {@code HttpOnly} (no
 * script reads it), {@code SameSite=Lax} (no cross-site form post carries it), {@code Path=/},
 * gone when the browser closes, and over https {@code Secure} with the {@code __Host-} prefix.
 * Its name is unique per deployment ({@link Authorizer#sessionCookieName}); its value is sealed by
 * {@link dev.oauthlet.authorize.SessionSealer}.
 *
 * @param name   the cookie's name for this request's deployment
 * @param secure the request came over https, or the issuer is https (behind a proxy)
 */
record SessionCookie(String name, boolean secure) {

    /** The cookie of the deployment {@code req} reached. */
    static SessionCookie of(HttpServletRequest req, Authorizer authorizer, String issuer) {
        boolean secure = req.isSecure() || issuer.startsWith("https://");
        return new SessionCookie(authorizer.sessionCookieName(req.getContextPath(), secure), secure);
    }

    /** The cookie's value, or {@code null}. */
    String read(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * Sets the cookie. Written as a raw header so every attribute is exactly as intended,
     * whatever the container's cookie defaults.
     */
    void write(HttpServletResponse resp, String value) {
        resp.addHeader("Set-Cookie", header(value));
    }

    /** Tells the browser to drop the cookie. */
    void clear(HttpServletResponse resp) {
        resp.addHeader("Set-Cookie", header("") + "; Max-Age=0");
    }

    String header(String value) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}
