package dev.oauthlet.wartest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Requests to the deployed application over loopback. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    private Http() {
    }

    static HttpResponse<String> clientCredentials(String url, String clientId, String secret) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/oauth/token")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static String token(String url, String clientId, String secret) throws IOException, InterruptedException {
        HttpResponse<String> r = clientCredentials(url, clientId, secret);
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no token for " + clientId + ": " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
