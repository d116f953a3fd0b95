package dev.oauthlet.servlet;

import dev.oauthlet.config.PagesConfig;

/**
 * The frame every login, consent and error page shares: document head, one inline stylesheet
 * (no external assets; the CSP admits it by nonce), the brand header and the footer. Input and
 * button borders ({@code --input}) keep 3:1 against white, as WCAG 1.4.11 asks of the edges
 * that identify a control.
 */
final class PageLayout {

    private static final String STYLE = """
            *,*::before,*::after{box-sizing:border-box}
            html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
            body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;
            padding:48px 16px;background:var(--bg);color:var(--text);
            font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif;
            -webkit-font-smoothing:antialiased}
            .page{width:100%;max-width:420px}
            .card{background:#fff;border:1px solid var(--line);border-radius:16px;padding:36px 36px 32px;
            box-shadow:0 1px 2px rgba(16,24,40,.05),0 16px 40px -12px rgba(16,24,40,.18)}
            .brand{display:flex;align-items:center;gap:10px;margin:0 0 28px}
            .brand img{display:block;max-height:36px;max-width:200px}
            .mark{flex:none;width:34px;height:34px;border-radius:9px;background:var(--primary);color:var(--on-primary);
            display:flex;align-items:center;justify-content:center;font-weight:700;font-size:17px}
            .brand-name{font-weight:700;font-size:17px;letter-spacing:-.01em}
            h1{font-size:24px;line-height:1.3;font-weight:700;letter-spacing:-.02em;margin:0 0 6px}
            .lead{margin:0 0 28px;color:var(--muted)}
            .lead strong,.note strong{color:var(--text);font-weight:600}
            form{margin:0}
            .field{margin:0 0 18px}
            label{display:block;font-size:14px;font-weight:600;margin:0 0 6px}
            input[type=text],input[type=password]{display:block;width:100%;height:46px;padding:0 14px;font:inherit;color:inherit;
            background:#fff;border:1px solid var(--input);border-radius:9px;transition:border-color .15s,box-shadow .15s}
            input[type=text]:focus,input[type=password]:focus{outline:none;border-color:var(--focus);
            box-shadow:0 0 0 1px var(--focus),0 0 0 5px var(--ring)}
            input[aria-invalid=true]{border-color:var(--danger)}
            .btn{display:flex;align-items:center;justify-content:center;width:100%;min-height:46px;padding:10px 20px;font:inherit;
            font-weight:600;line-height:1.2;border-radius:9px;border:1px solid transparent;cursor:pointer;transition:filter .15s,background .15s}
            .btn-primary{background:var(--primary);color:var(--on-primary);margin-top:26px}
            .btn-primary:hover{filter:brightness(.92)}
            .btn-secondary{background:#fff;color:var(--text);border-color:var(--input)}
            .btn-secondary:hover{background:#f4f6f9}
            .btn:focus-visible,.link:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
            .alert{display:flex;gap:10px;align-items:flex-start;margin:0 0 22px;padding:12px 14px;font-size:14px;
            color:#8a1c12;background:#fef3f2;border:1px solid #fbcfc9;border-radius:9px}
            .alert svg{flex:none;margin-top:2px}
            .footer{display:flex;align-items:center;justify-content:center;gap:6px;margin:22px 0 0;font-size:13px;color:var(--on-bg)}
            .apps{display:flex;align-items:center;justify-content:center;gap:14px;margin:4px 0 22px}
            .app{width:56px;height:56px;border-radius:15px;display:flex;align-items:center;justify-content:center;
            font-size:24px;font-weight:700}
            .app-client{background:#eef1f6;color:var(--text);border:1px solid var(--line)}
            .app-server{background:var(--primary);color:var(--on-primary)}
            .app-logo{background:#fff;border:1px solid var(--line);padding:8px}
            .app-logo img{display:block;max-width:100%;max-height:100%}
            .dots{display:flex;gap:5px}
            .dots span{width:5px;height:5px;border-radius:50%;background:#c5ccd8}
            .center{text-align:center}
            .account{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:4px 8px;margin:0 0 26px;
            font-size:14px;color:var(--muted)}
            .account strong{color:var(--text)}
            .link{padding:0;font:inherit;color:var(--primary-text);background:none;border:0;text-decoration:underline;
            text-underline-offset:2px;cursor:pointer}
            .scopes-title{font-size:14px;font-weight:600;margin:0 0 10px}
            .scopes{list-style:none;margin:0 0 18px;padding:0;border:1px solid var(--line);border-radius:12px}
            .scopes li{display:flex;gap:12px;align-items:flex-start;padding:13px 16px}
            .scopes li+li{border-top:1px solid var(--line)}
            .check{flex:none;display:flex;align-items:center;justify-content:center;width:22px;height:22px;margin-top:1px;
            border-radius:50%;background:var(--ring);color:var(--primary-text)}
            .scope{display:block;font-weight:500}
            .scope-id{display:block;font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;color:var(--muted)}
            .note{margin:0 0 24px;font-size:13px;color:var(--muted)}
            .actions{display:grid;grid-template-columns:1fr 1fr;gap:12px}
            .actions .btn-primary{margin-top:0}
            .icon-warn{width:48px;height:48px;border-radius:50%;display:flex;align-items:center;justify-content:center;
            background:#fef3f2;color:#b42318;margin:0 0 18px}
            .detail{margin:20px 0 0;padding:12px 14px;font-size:13px;color:var(--muted);background:#f6f7f9;border-radius:9px;
            overflow-wrap:anywhere}
            .detail code{font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;color:var(--text)}
            p{margin:0 0 12px}
            @media (max-width:480px){
            body{justify-content:flex-start;padding:0;background:#fff}
            .card{border:0;border-radius:0;box-shadow:none;padding:28px 22px 24px}
            .footer{margin:4px 0 28px;color:var(--muted)}
            }
            @media (max-width:340px){.actions{grid-template-columns:1fr}}
            @media (prefers-reduced-motion:reduce){*{transition:none!important}}
            """;

    private PageLayout() {
    }

    /**
     * A whole HTML document in language {@code lang}. {@code body} and {@code footer} are
     * already-escaped markup, {@code title} is text; {@code brandRow} shows the
     * logo and name above it (the consent page has its own picture of both parties instead).
     */
    static String render(PagesConfig pages, Palette palette, String nonce, String lang, String title, String footer, String body,
                         boolean brandRow) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<!doctype html>\n<html lang=\"").append(Html.esc(lang)).append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"robots\" content=\"noindex\">\n")
                .append("<title>").append(Html.esc(title)).append(" · ").append(Html.esc(pages.name())).append("</title>\n")
                .append("<style nonce=\"").append(nonce).append("\">\n")
                .append(":root{--primary:").append(palette.primary())
                .append(";--on-primary:").append(palette.onPrimary())
                .append(";--primary-text:").append(palette.primaryText())
                .append(";--focus:").append(palette.focus())
                .append(";--ring:").append(ring(palette.primary()))
                .append(";--bg:").append(palette.background())
                .append(";--on-bg:").append(palette.onBackground())
                .append(";--text:").append(Palette.TEXT)
                .append(";--muted:").append(Palette.MUTED)
                .append(";--line:#e3e7ee;--input:#858fa1;--danger:#b42318}\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n<main class=\"page\">\n<div class=\"card\">\n")
                .append(brandRow ? brand(pages) : "")
                .append(body)
                .append("</div>\n<p class=\"footer\">").append(Icons.LOCK).append("<span>")
                .append(footer).append("</span></p>\n</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static String brand(PagesConfig pages) {
        if (pages.logoUrl() != null) {
            return "<div class=\"brand\"><img src=\"" + Html.esc(pages.logoUrl()) + "\" alt=\"" + Html.esc(pages.name()) + "\"></div>\n";
        }
        return "<div class=\"brand\"><span class=\"mark\" aria-hidden=\"true\">" + Html.esc(initial(pages.name()))
                + "</span><span class=\"brand-name\">" + Html.esc(pages.name()) + "</span></div>\n";
    }

    /** The first letter of a name, for monograms. */
    static String initial(String name) {
        String t = name.strip();
        return t.isEmpty() ? "?" : new String(Character.toChars(Character.toUpperCase(t.codePointAt(0))));
    }

    /** A translucent wash of the primary colour, for focus halos and icon backgrounds. */
    private static String ring(String primary) {
        String h = Palette.normalize(primary);
        return "rgba(" + Integer.parseInt(h.substring(1, 3), 16) + "," + Integer.parseInt(h.substring(3, 5), 16) + ","
                + Integer.parseInt(h.substring(5, 7), 16) + ",.16)";
    }

    /** Inline SVG icons: decorative, hidden from assistive technology. */
    static final class Icons {
        static final String LOCK = "<svg width=\"14\" height=\"14\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\""
                + " stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">"
                + "<rect x=\"4\" y=\"11\" width=\"16\" height=\"10\" rx=\"2\"/><path d=\"M8 11V7a4 4 0 0 1 8 0v4\"/></svg>";
        static final String CHECK = "<svg width=\"14\" height=\"14\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\""
                + " stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">"
                + "<path d=\"M5 12.5l4.5 4.5L19 7.5\"/></svg>";
        static final String ALERT = "<svg width=\"18\" height=\"18\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\""
                + " stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">"
                + "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 7v6\"/><path d=\"M12 16.5v.5\"/></svg>";
        static final String WARN = "<svg width=\"24\" height=\"24\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\""
                + " stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">"
                + "<path d=\"M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z\"/>"
                + "<path d=\"M12 9v4\"/><path d=\"M12 17h.01\"/></svg>";

        private Icons() {
        }
    }
}
