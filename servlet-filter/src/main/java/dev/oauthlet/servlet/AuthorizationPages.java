package dev.oauthlet.servlet;

import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.config.PagesConfig;
import dev.oauthlet.servlet.PageLayout.Icons;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The markup of the login, consent, sign-out and error pages: Oauthlet's own, or the
 * application's {@link PageTemplate} for a page it overrides, with the sentences of
 * {@link PageMessages} in the browser's language. Every dynamic value is escaped here.
 */
final class AuthorizationPages {

    private final PagesConfig pages;
    private final Palette palette;
    private final PageMessages messages;
    private final Map<PageTemplates.Page, PageTemplate> templates;

    /** Oauthlet's own pages, in English. */
    AuthorizationPages(PagesConfig pages) {
        this(pages, PageMessages.english(), Map.of());
    }

    AuthorizationPages(PagesConfig pages, PageMessages messages, Map<PageTemplates.Page, PageTemplate> templates) {
        this.pages = pages;
        this.palette = Palette.of(pages);
        this.messages = messages;
        this.templates = Map.copyOf(templates);
    }

    /**
     * The pages {@code pages:} asks for: the application's translations and templates, found
     * through the thread's context class loader (the web application's) or else Oauthlet's own.
     *
     * @throws IllegalArgumentException naming the key and the file when a translation or template is missing or wrong
     */
    static AuthorizationPages load(PagesConfig pages) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : AuthorizationPages.class.getClassLoader();
        PageMessages messages = PageMessages.load(pages.messages(), pages.languages(), loader);
        return new AuthorizationPages(pages, messages, PageTemplates.load(pages.templates(), loader, messages.fallback()));
    }

    /** The pages in the language that suits this {@code Accept-Language} header (may be {@code null}). */
    Localized in(String acceptLanguage) {
        return new Localized(messages.select(acceptLanguage));
    }

    /** The pages in one language. */
    final class Localized {

        private final PageMessages.Language t;

        private Localized(PageMessages.Language t) {
            this.t = t;
        }

        /**
         * The login form.
         *
         * @param action     the form's target (the authorization endpoint's path)
         * @param username   to fill in again after a failure; may be {@code null}
         * @param error      the flow's sentence for the user ({@link LoginNotices}); {@code null} for none
         * @param retryAfter how long sign-in is throttled, when it is; else {@code null}
         */
        String login(String nonce, String action, AuthorizationRequest request, String csrf, String username, String error,
                     Duration retryAfter) {
            String message = error == null ? null : LoginNotices.text(t, error, retryAfter);
            PageTemplate own = templates.get(PageTemplates.Page.LOGIN);
            if (own != null) {
                Map<String, Object> v = form(nonce, action, request, csrf);
                v.put("username", username);
                v.put("error", message);
                return own.render(v, t);
            }
            boolean failed = message != null;
            StringBuilder b = new StringBuilder(2048);
            b.append("<h1>").append(t.html("login.heading")).append("</h1>\n<p class=\"lead\">")
                    .append(t.html("login.lead", Map.of("client", strong(request.client().name())))).append("</p>\n");
            if (failed) {
                b.append("<div class=\"alert\" role=\"alert\" id=\"login-error\">").append(Icons.ALERT).append("<span>")
                        .append(Html.esc(message)).append("</span></div>\n");
            }
            String invalid = failed ? " aria-invalid=\"true\" aria-describedby=\"login-error\"" : "";
            boolean hasUsername = username != null && !username.isEmpty();
            b.append("<form method=\"post\" action=\"").append(Html.esc(action)).append("\">\n")
                    .append(hidden(request, csrf))
                    .append("<div class=\"field\"><label for=\"username\">").append(t.html("login.username")).append("</label>")
                    .append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\"")
                    .append(" spellcheck=\"false\" required").append(hasUsername ? "" : " autofocus")
                    .append(" value=\"").append(Html.esc(username)).append('"').append(invalid).append("></div>\n")
                    .append("<div class=\"field\"><label for=\"password\">").append(t.html("login.password")).append("</label>")
                    .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required")
                    .append(hasUsername ? " autofocus" : "").append(invalid).append("></div>\n")
                    .append("<button class=\"btn btn-primary\" type=\"submit\" name=\"action\" value=\"login\">")
                    .append(t.html("login.submit")).append("</button>\n")
                    .append("</form>\n");
            return layout(nonce, t.text("login.title", Map.of()), b.toString(), true);
        }

        /**
         * The consent form.
         *
         * @param describe a scope's description in words
         */
        String consent(String nonce, String action, AuthorizationRequest request, String csrf, String subject, List<String> scopes,
                       Function<String, String> describe) {
            String clientName = request.client().name();
            String client = Html.esc(clientName);
            String product = Html.esc(pages.name());
            StringBuilder items = new StringBuilder();
            if (scopes.isEmpty()) {
                items.append(scopeItem(t.text("consent.no-scopes", Map.of("product", pages.name())), null));
            } else {
                for (String s : scopes) {
                    String text = describe.apply(s);
                    items.append(scopeItem(text, text.equals(s) ? null : s));
                }
            }
            StringBuilder apis = new StringBuilder();
            for (String r : request.resources()) {
                apis.append(scopeItem(r, null));
            }
            String host = hostOf(request.redirectUri());
            PageTemplate own = templates.get(PageTemplates.Page.CONSENT);
            if (own != null) {
                Map<String, Object> v = form(nonce, action, request, csrf);
                v.put("subject", subject);
                v.put("scope_list", new PageTemplate.Markup(items.toString()));
                v.put("resource_list", new PageTemplate.Markup(apis.toString()));
                v.put("host", host);
                return own.render(v, t);
            }
            StringBuilder b = new StringBuilder(4096);
            b.append("<div class=\"apps\" aria-hidden=\"true\"><span class=\"app app-client\">")
                    .append(Html.esc(PageLayout.initial(clientName)))
                    .append("</span><span class=\"dots\"><span></span><span></span><span></span></span>")
                    .append(pages.logoUrl() == null
                            ? "<span class=\"app app-server\">" + Html.esc(PageLayout.initial(pages.name())) + "</span>"
                            : "<span class=\"app app-logo\"><img src=\"" + Html.esc(pages.logoUrl()) + "\" alt=\"\"></span>")
                    .append("</div>\n")
                    .append("<h1 class=\"center\">").append(t.html("consent.heading", Map.of("client", client, "product", product)))
                    .append("</h1>\n")
                    .append("<form class=\"account\" method=\"post\" action=\"").append(Html.esc(action)).append("\">")
                    .append(hidden(request, csrf))
                    .append("<span>").append(t.html("consent.signed-in-as", Map.of("subject", strong(subject)))).append("</span>")
                    .append("<button class=\"link\" type=\"submit\" name=\"action\" value=\"switch-account\">")
                    .append(t.html("consent.switch-account")).append("</button></form>\n");
            if (scopes.isEmpty()) {
                b.append("<p class=\"scopes-title\">").append(t.html("consent.no-scopes-title", Map.of("client", client)))
                        .append("</p>\n<ul class=\"scopes\">").append(items).append("</ul>\n");
            } else {
                b.append("<p class=\"scopes-title\" id=\"scopes-title\">").append(t.html("consent.scopes-title", Map.of("client", client)))
                        .append("</p>\n").append("<ul class=\"scopes\" aria-labelledby=\"scopes-title\">").append(items).append("</ul>\n");
            }
            if (!request.resources().isEmpty()) {
                // RFC 8707: the user sees which APIs the token will open, not only what it may do there.
                b.append("<p class=\"scopes-title\" id=\"resources-title\">").append(t.html("consent.resources-title")).append("</p>\n")
                        .append("<ul class=\"scopes resources\" aria-labelledby=\"resources-title\">").append(apis).append("</ul>\n");
            }
            b.append("<p class=\"note\">").append(t.html("consent.note", Map.of("host", strong(host), "client", client))).append("</p>\n")
                    .append("<form method=\"post\" action=\"").append(Html.esc(action)).append("\">\n")
                    .append(hidden(request, csrf))
                    .append("<input type=\"hidden\" name=\"action\" value=\"consent\">\n")
                    .append("<div class=\"actions\">")
                    .append("<button class=\"btn btn-secondary\" type=\"submit\" name=\"decision\" value=\"deny\">")
                    .append(t.html("consent.deny")).append("</button>")
                    .append("<button class=\"btn btn-primary\" type=\"submit\" name=\"decision\" value=\"allow\">")
                    .append(t.html("consent.allow")).append("</button>")
                    .append("</div>\n</form>\n");
            return layout(nonce, t.text("consent.title", Map.of()), b.toString(), false);
        }

        /**
         * Asks a signed-in user to confirm signing out: a POST with the session's CSRF token, so no
         * cross-site link or image signs anyone out.
         */
        String signOut(String nonce, String action, String csrf, String subject) {
            PageTemplate own = templates.get(PageTemplates.Page.SIGN_OUT);
            if (own != null) {
                Map<String, Object> v = common(nonce);
                v.put("action", action);
                v.put("csrf_token", csrf);
                v.put("subject", subject);
                return own.render(v, t);
            }
            String b = "<h1>" + t.html("sign-out.heading") + "</h1>\n<p class=\"lead\">"
                    + t.html("sign-out.lead", Map.of("product", Html.esc(pages.name()), "subject", strong(subject))) + "</p>\n"
                    + "<form method=\"post\" action=\"" + Html.esc(action) + "\">\n"
                    + "<input type=\"hidden\" name=\"csrf_token\" value=\"" + Html.esc(csrf) + "\">\n"
                    + "<button class=\"btn btn-primary\" type=\"submit\" name=\"action\" value=\"logout\">" + t.html("sign-out.submit")
                    + "</button>\n"
                    + "</form>\n";
            return layout(nonce, t.text("sign-out.title", Map.of()), b, true);
        }

        /** Says the browser's session has ended (or there was none). */
        String signedOut(String nonce) {
            PageTemplate own = templates.get(PageTemplates.Page.SIGNED_OUT);
            if (own != null) {
                return own.render(common(nonce), t);
            }
            String b = "<h1>" + t.html("signed-out.heading") + "</h1>\n<p class=\"lead\">"
                    + t.html("signed-out.lead", Map.of("product", Html.esc(pages.name()))) + "</p>\n";
            return layout(nonce, t.text("signed-out.title", Map.of()), b, true);
        }

        /** An error that must not go back to the client: the user is told, and nothing is redirected. */
        String error(String nonce, String code, String description) {
            PageTemplate own = templates.get(PageTemplates.Page.ERROR);
            if (own != null) {
                Map<String, Object> v = common(nonce);
                v.put("code", code);
                v.put("description", description);
                return own.render(v, t);
            }
            String b = "<div class=\"icon-warn\">" + Icons.WARN + "</div>\n"
                    + "<h1>" + t.html("error.heading") + "</h1>\n"
                    + "<p class=\"lead\">" + t.html("error.lead", Map.of("product", Html.esc(pages.name()))) + "</p>\n"
                    + "<p class=\"detail\">" + t.html("error.detail", Map.of("code", "<code>" + Html.esc(code) + "</code>",
                    "description", Html.esc(description))) + "</p>\n";
            return layout(nonce, t.text("error.title", Map.of()), b, true);
        }

        private String layout(String nonce, String title, String body, boolean brandRow) {
            return PageLayout.render(pages, palette, nonce, t.tag(), title, t.html("page.footer", Map.of("product", Html.esc(pages.name()))),
                    body, brandRow);
        }

        /** What the login and consent templates share: their form's target, hidden fields and CSRF token, the client. */
        private Map<String, Object> form(String nonce, String action, AuthorizationRequest request, String csrf) {
            Map<String, Object> v = common(nonce);
            v.put("action", action);
            v.put("hidden_fields", new PageTemplate.Markup(hidden(request, csrf)));
            v.put("csrf_token", csrf);
            v.put("client", request.client().name());
            return v;
        }

        /** What every template may show: the CSP nonce for its {@code <style>}, the language, the product and its logo. */
        private Map<String, Object> common(String nonce) {
            Map<String, Object> v = new HashMap<>();
            v.put("nonce", nonce);
            v.put("lang", t.tag());
            v.put("product", pages.name());
            v.put("logo_url", pages.logoUrl());
            return v;
        }
    }

    private static String strong(String text) {
        return "<strong>" + Html.esc(text) + "</strong>";
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
