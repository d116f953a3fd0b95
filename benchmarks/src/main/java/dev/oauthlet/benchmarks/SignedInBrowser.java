package dev.oauthlet.benchmarks;

import dev.oauthlet.benchmarks.Load.Server;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser in which alice has signed in on the example's login page and consented for the demo's
 * third-party {@code partner-app}, once, before any round: then each {@link #codeAndExchange}
 * is what an OpenID Connect client does for a user who is still signed in — a {@code prompt=none}
 * authorization request with {@code acr_values} and a {@code nonce} (302 with a code, no page),
 * then the code exchange (PBKDF2 of the client's secret cached after the first, an RS256 ID token,
 * an access token and a refresh token).
 */
final class SignedInBrowser {

    static final String CLIENT = "partner-app";
    static final String SECRET = "partner-secret";
    static final String CALLBACK = "http://127.0.0.1:9000/callback";
    private static final String VERIFIER = "bench-verifier-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final Server server;
    private final String silent;
    private String cookie;

    private SignedInBrowser(Server server) {
        this.server = server;
        this.silent = authorizePath(Map.of("prompt", "none", "acr_values", "1"));
    }

    /** Signs alice in and consents, as a browser would: login page, login form, consent page, consent form. */
    static SignedInBrowser signIn(Server server) throws Exception {
        SignedInBrowser b = new SignedInBrowser(server);
        String first = authorizePath(Map.of());
        HttpResponse<String> login = b.send(get(server, first));
        Map<String, String> form = hidden(expect(login, 200, "the login page"));
        form.put("action", "login");
        form.put("username", "alice");
        form.put("password", "alice-password");
        expect(b.send(post(server, "/oauth/authorize", form)), 303, "the login");
        HttpResponse<String> consent = b.send(get(server, first));
        Map<String, String> allow = hidden(expect(consent, 200, "the consent page"));
        allow.put("action", "consent");
        allow.put("decision", "allow");
        HttpResponse<String> back = b.send(post(server, "/oauth/authorize", allow));
        expect(back, 303, "the consent");
        b.exchange(code(back));
        return b;
    }

    /** One silent authorization request and its code's exchange; fails unless both answer as a signed-in user's must. */
    void codeAndExchange() throws Exception {
        HttpResponse<Void> r = Load.HTTP.send(get(server, silent).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 302) {
            throw new IllegalStateException("prompt=none answered " + r.statusCode() + ", not a redirect with a code");
        }
        exchange(code(r));
    }

    private void exchange(String code) throws Exception {
        String json = server.token(new Load.TokenCall("/oauth/token", CLIENT, SECRET, "grant_type=authorization_code&code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)
                + "&code_verifier=" + VERIFIER));
        if (!json.contains("\"id_token\"")) {
            throw new IllegalStateException("the code exchange gave no ID token: " + json);
        }
    }

    private static String code(HttpResponse<?> r) {
        String location = r.headers().firstValue("Location").orElse("");
        Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        if (!location.startsWith(CALLBACK + "?") || !m.find()) {
            throw new IllegalStateException("no code in the redirect: " + location);
        }
        return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> r = Load.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("Set-Cookie")) {
            if (c.startsWith("oauthlet_session_")) {
                cookie = c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
            }
        }
        return r;
    }

    private static String expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static Map<String, String> hidden(String html) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(html);
        while (matcher.find()) {
            m.putIfAbsent(matcher.group(1), matcher.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&amp;", "&"));
        }
        return m;
    }

    private static HttpRequest.Builder get(Server server, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.url(pathAndQuery))).timeout(Duration.ofSeconds(30)).GET();
    }

    private static HttpRequest.Builder post(Server server, String path, Map<String, String> form) {
        return HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    }

    private static String authorizePath(Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", CLIENT);
        p.put("response_type", "code");
        p.put("redirect_uri", CALLBACK);
        p.put("scope", "openid orders:read");
        p.put("state", "bench");
        p.put("nonce", "bench-nonce");
        p.put("code_challenge", challenge());
        p.put("code_challenge_method", "S256");
        p.putAll(extra);
        return "/oauth/authorize?" + encode(p);
    }

    private static String encode(Map<String, String> params) {
        return String.join("&", params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).toList());
    }

    private static String challenge() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The demo configuration's change for this scenario: {@code partner-app} may ask for {@code openid}. */
    static final Map<String, String> DEMO_CHANGE = Map.of(
            "    scopes: [orders:read, orders:write]\n    access-token-ttl: 2h",
            "    scopes: [openid, orders:read, orders:write]\n    access-token-ttl: 2h");
}
