package dev.oauthlet.example;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a browser against the authorization endpoint over real HTTP: follows no redirects, keeps
 * the session cookie, and reads hidden form fields back, so tests see every step's status and
 * headers.
 */
final class BrowserlessClient {

    /** Every deployment's session cookie name starts so (the rest tells deployments apart). */
    static final String SESSION_COOKIE_PREFIX = "oauthlet_session_";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    /** The session cookie as {@code name=value}, or {@code null}. */
    private String session;
    /** An embedding application's own cookies (its HTTP session), by name, as {@code name=value}. */
    private final Map<String, String> others = new LinkedHashMap<>();

    BrowserlessClient(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return remember(http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        return remember(http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Submits a page's form: its hidden fields, plus {@code fields}. */
    HttpResponse<String> submit(HttpResponse<String> page, String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> form = hiddenFields(page.body());
        form.putAll(fields);
        return post(path, form);
    }

    String session() {
        return session;
    }

    void session(String value) {
        session = value;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
        List<String> cookies = new java.util.ArrayList<>(others.values());
        if (session != null) {
            cookies.add(0, session);
        }
        if (!cookies.isEmpty()) {
            b.header("Cookie", String.join("; ", cookies));
        }
        return b;
    }

    private HttpResponse<String> remember(HttpResponse<String> r) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.indexOf(';') < 0 ? c : c.substring(0, c.indexOf(';'));
            if (c.startsWith(SESSION_COOKIE_PREFIX) || c.startsWith("__Host-" + SESSION_COOKIE_PREFIX)) {
                session = c.contains("Max-Age=0") ? null : pair;
            } else if (pair.indexOf('=') > 0) {
                others.put(pair.substring(0, pair.indexOf('=')), pair);
            }
        }
        return r;
    }

    static Map<String, String> hiddenFields(String html) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(html);
        while (matcher.find()) {
            m.putIfAbsent(matcher.group(1), unescape(matcher.group(2)));
        }
        return m;
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** The query parameters of a URI, decoded. */
    static Map<String, String> query(String uri) {
        Map<String, String> m = new LinkedHashMap<>();
        String q = URI.create(uri).getRawQuery();
        if (q == null) {
            return m;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** The one value of a header, or {@code null}. */
    static String header(HttpResponse<?> r, String name) {
        List<String> v = r.headers().allValues(name);
        return v.isEmpty() ? null : v.get(0);
    }
}
