package dev.oauthlet.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Writes the HTML pages (login, consent, logout, errors) with the headers that keep them out of frames, caches and scripts. */
final class PageResponses {

    private PageResponses() {
    }

    /**
     * A page. The CSP admits only the inline stylesheet (by nonce) and the logo; forms may post
     * to this server and be redirected to the client, which Chrome checks against {@code form-action}.
     *
     * @param logo        {@code pages.logo-url}, or {@code null}
     * @param redirectUri where a form may end up besides this server, or {@code null}
     */
    static void html(HttpServletResponse resp, int status, String nonce, String logo, String redirectUri, String page) throws IOException {
        String imgSrc = logo == null ? "'none'" : logo.startsWith("data:") ? "data:" : logo.startsWith("/") ? "'self'" : origin(logo);
        String formAction = "'self'" + (redirectUri == null ? "" : " " + origin(redirectUri));
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce + "'; img-src " + imgSrc
                + "; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'");
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    static String origin(String uri) {
        URI u = URI.create(uri);
        return u.getScheme() + "://" + u.getRawAuthority();
    }
}
