package dev.oauthlet.servlet;

import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.config.PagesConfig;
import dev.oauthlet.servlet.PageLayout.Icons;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The markup of the login, consent and error pages. Every dynamic value is escaped here. */
final class AuthorizationPages {

    private final PagesConfig pages;
    private final Palette palette;

    AuthorizationPages(PagesConfig pages) {
        this.pages = pages;
        this.palette = Palette.of(pages);
    }

    /**
     * The login form.
     *
     * @param action   the form's target (the authorization endpoint's path)
     * @param username to fill in again after a failure; may be {@code null}
     * @param error    a message for the user; {@code null} for none
     */
    String login(String nonce, String action, AuthorizationRequest request, String csrf, String username, String error) {
        boolean failed = error != null;
        StringBuilder b = new StringBuilder(2048);
        b.append("<h1>Sign in</h1>\n<p class=\"lead\">to continue to <strong>").append(Html.esc(request.client().name()))
                .append("</strong></p>\n");
        if (failed) {
            b.append("<div class=\"alert\" role=\"alert\" id=\"login-error\">").append(Icons.ALERT).append("<span>")
                    .append(Html.esc(error)).append("</span></div>\n");
        }
        String invalid = failed ? " aria-invalid=\"true\" aria-describedby=\"login-error\"" : "";
        boolean hasUsername = username != null && !username.isEmpty();
        b.append("<form method=\"post\" action=\"").append(Html.esc(action)).append("\">\n")
                .append(hidden(request, csrf))
                .append("<div class=\"field\"><label for=\"username\">Username</label>")
                .append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\"")
                .append(" spellcheck=\"false\" required").append(hasUsername ? "" : " autofocus")
                .append(" value=\"").append(Html.esc(username)).append('"').append(invalid).append("></div>\n")
                .append("<div class=\"field\"><label for=\"password\">Password</label>")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required")
                .append(hasUsername ? " autofocus" : "").append(invalid).append("></div>\n")
                .append("<button class=\"btn btn-primary\" type=\"submit\" name=\"action\" value=\"login\">Sign in</button>\n")
                .append("</form>\n");
        return PageLayout.render(pages, palette, nonce, "Sign in", b.toString(), true);
    }

    /**
     * The consent form.
     *
     * @param describe a scope's description in words
     */
    String consent(String nonce, String action, AuthorizationRequest request, String csrf, String subject, List<String> scopes,
                   Function<String, String> describe) {
        String client = Html.esc(request.client().name());
        StringBuilder b = new StringBuilder(4096);
        b.append("<div class=\"apps\" aria-hidden=\"true\"><span class=\"app app-client\">")
                .append(Html.esc(PageLayout.initial(request.client().name())))
                .append("</span><span class=\"dots\"><span></span><span></span><span></span></span>")
                .append(pages.logoUrl() == null
                        ? "<span class=\"app app-server\">" + Html.esc(PageLayout.initial(pages.name())) + "</span>"
                        : "<span class=\"app app-logo\"><img src=\"" + Html.esc(pages.logoUrl()) + "\" alt=\"\"></span>")
                .append("</div>\n")
                .append("<h1 class=\"center\">").append(client).append(" wants to access your ").append(Html.esc(pages.name()))
                .append(" account</h1>\n")
                .append("<form class=\"account\" method=\"post\" action=\"").append(Html.esc(action)).append("\">")
                .append(hidden(request, csrf))
                .append("<span>Signed in as <strong>").append(Html.esc(subject)).append("</strong></span>")
                .append("<button class=\"link\" type=\"submit\" name=\"action\" value=\"switch-account\">Not you?</button></form>\n");
        if (scopes.isEmpty()) {
            b.append("<p class=\"scopes-title\">").append(client).append(" will be able to:</p>\n<ul class=\"scopes\">")
                    .append(scopeItem("Know who you are on " + pages.name(), null)).append("</ul>\n");
        } else {
            b.append("<p class=\"scopes-title\" id=\"scopes-title\">This will allow ").append(client).append(" to:</p>\n")
                    .append("<ul class=\"scopes\" aria-labelledby=\"scopes-title\">");
            for (String s : scopes) {
                String text = describe.apply(s);
                b.append(scopeItem(text, text.equals(s) ? null : s));
            }
            b.append("</ul>\n");
        }
        if (!request.resources().isEmpty()) {
            // RFC 8707: the user sees which APIs the token will open, not only what it may do there.
            b.append("<p class=\"scopes-title\" id=\"resources-title\">At these APIs:</p>\n")
                    .append("<ul class=\"scopes resources\" aria-labelledby=\"resources-title\">");
            for (String r : request.resources()) {
                b.append(scopeItem(r, null));
            }
            b.append("</ul>\n");
        }
        b.append("<p class=\"note\">You will be returned to <strong>").append(Html.esc(hostOf(request.redirectUri())))
                .append("</strong>. Only allow access if you trust ").append(client).append(".</p>\n")
                .append("<form method=\"post\" action=\"").append(Html.esc(action)).append("\">\n")
                .append(hidden(request, csrf))
                .append("<input type=\"hidden\" name=\"action\" value=\"consent\">\n")
                .append("<div class=\"actions\">")
                .append("<button class=\"btn btn-secondary\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>")
                .append("<button class=\"btn btn-primary\" type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
                .append("</div>\n</form>\n");
        return PageLayout.render(pages, palette, nonce, "Allow access", b.toString(), false);
    }

    /**
     * Asks a signed-in user to confirm signing out: a POST with the session's CSRF token, so no
     * cross-site link or image signs anyone out.
     */
    String signOut(String nonce, String action, String csrf, String subject) {
        String b = "<h1>Sign out</h1>\n<p class=\"lead\">You are signed in to " + Html.esc(pages.name()) + " as <strong>"
                + Html.esc(subject) + "</strong>.</p>\n"
                + "<form method=\"post\" action=\"" + Html.esc(action) + "\">\n"
                + "<input type=\"hidden\" name=\"csrf_token\" value=\"" + Html.esc(csrf) + "\">\n"
                + "<button class=\"btn btn-primary\" type=\"submit\" name=\"action\" value=\"logout\">Sign out</button>\n"
                + "</form>\n";
        return PageLayout.render(pages, palette, nonce, "Sign out", b, true);
    }

    /** Says the browser's session has ended (or there was none). */
    String signedOut(String nonce) {
        String b = "<h1>You are signed out</h1>\n<p class=\"lead\">Your " + Html.esc(pages.name())
                + " session in this browser has ended. You can close this window.</p>\n";
        return PageLayout.render(pages, palette, nonce, "Signed out", b, true);
    }

    /** An error that must not go back to the client: the user is told, and nothing is redirected. */
    String error(String nonce, String code, String description) {
        String b = "<div class=\"icon-warn\">" + Icons.WARN + "</div>\n"
                + "<h1>This sign-in link can’t be used</h1>\n"
                + "<p class=\"lead\">The application that sent you here made a request that "
                + Html.esc(pages.name()) + " can’t accept, so you have not been sent back to it. "
                + "Return to the application and try again, or contact its support.</p>\n"
                + "<p class=\"detail\">For the application’s developer: <code>" + Html.esc(code) + "</code> — "
                + Html.esc(description) + "</p>\n";
        return PageLayout.render(pages, palette, nonce, "Something went wrong", b, true);
    }

    private static String scopeItem(String text, String scopeId) {
        StringBuilder b = new StringBuilder("<li><span class=\"check\">").append(Icons.CHECK).append("</span><span><span class=\"scope\">")
                .append(Html.esc(text)).append("</span>");
        if (scopeId != null) {
            b.append("<span class=\"scope-id\">").append(Html.esc(scopeId)).append("</span>");
        }
        return b.append("</span></li>").toString();
    }

    /** The authorization parameters, carried through the form so that each step validates the same request again. */
    private static String hidden(AuthorizationRequest request, String csrf) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> p : request.parameters().entrySet()) {
            b.append("<input type=\"hidden\" name=\"").append(Html.esc(p.getKey())).append("\" value=\"")
                    .append(Html.esc(p.getValue())).append("\">\n");
        }
        for (String r : request.resources()) {
            b.append("<input type=\"hidden\" name=\"resource\" value=\"").append(Html.esc(r)).append("\">\n");
        }
        b.append("<input type=\"hidden\" name=\"csrf_token\" value=\"").append(Html.esc(csrf)).append("\">\n");
        return b.toString();
    }

    private static String hostOf(String uri) {
        URI u = URI.create(uri);
        return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    }
}
