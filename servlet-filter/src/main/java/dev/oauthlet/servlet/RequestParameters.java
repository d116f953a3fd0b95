package dev.oauthlet.servlet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.ResourceIndicators;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads request parameters from exactly one place — the form body, the JSON body or the query
 * string — keeping repeated names, so the parser can refuse them (RFC 6749 §3.2).
 */
public final class RequestParameters {

    /** Token requests are small; a larger body is refused before it is read. */
    static final int MAX_BODY = 16 * 1024;
    /** Oversized bodies up to this size are read and dropped before the 400, so the client sees it. */
    static final int DRAIN_LIMIT = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RequestParameters() {
    }

    /** {@code application/x-www-form-urlencoded} body. */
    public static Map<String, List<String>> form(HttpServletRequest req) throws IOException {
        return decode(new String(body(req), StandardCharsets.UTF_8));
    }

    /** The query string. */
    public static Map<String, List<String>> query(HttpServletRequest req) {
        return decode(req.getQueryString());
    }

    /** A JSON object body whose members are strings, numbers or booleans. */
    public static Map<String, List<String>> json(HttpServletRequest req) throws IOException {
        return json(body(req));
    }

    /**
     * The parameters of a POST body in one of {@code formats}, chosen by its {@code Content-Type}.
     * A body sent without {@code Content-Type} (as some API documents print their requests) is read
     * as JSON when JSON is accepted and it starts with '{', otherwise as a form when forms are.
     *
     * @throws OAuthException {@code invalid_request} for a type the endpoint does not accept
     */
    public static Map<String, List<String>> body(HttpServletRequest req, Set<RequestFormat> formats) throws IOException {
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT).strip();
        boolean form = formats.contains(RequestFormat.FORM);
        boolean json = formats.contains(RequestFormat.JSON);
        if (type.startsWith("application/x-www-form-urlencoded") && form) {
            return form(req);
        }
        if ((type.startsWith("application/json") || type.startsWith("application/vnd.api+json")) && json) {
            return json(req);
        }
        if (type.isEmpty() && (form || json)) {
            byte[] b = body(req);
            if (json && (!form || startsWithBrace(b))) {
                return json(b);
            }
            return decode(new String(b, StandardCharsets.UTF_8));
        }
        throw OAuthException.invalidRequest("unsupported Content-Type; this endpoint accepts " + accepted(formats));
    }

    /** The content types {@code formats} stand for, for error messages. */
    static String accepted(Set<RequestFormat> formats) {
        List<String> names = new ArrayList<>();
        if (formats.contains(RequestFormat.FORM)) {
            names.add("application/x-www-form-urlencoded");
        }
        if (formats.contains(RequestFormat.JSON)) {
            names.add("application/json");
        }
        return names.isEmpty() ? "GET with query parameters" : String.join(" or ", names);
    }

    private static boolean startsWithBrace(byte[] b) {
        for (byte c : b) {
            if (c == '{') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return false;
    }

    static Map<String, List<String>> json(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "a parameter was sent more than once" : "the body is not valid JSON";
            throw OAuthException.invalidRequest(msg);
        } catch (IOException e) {
            // Only an undecodable byte sequence gets here: the bytes are already in memory.
            throw OAuthException.invalidRequest("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw OAuthException.invalidRequest("the body must be a JSON object");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isArray() && e.getKey().equals(ResourceIndicators.PARAMETER)) {
                // RFC 8707's resource is the one repeatable parameter: in JSON, an array of strings.
                List<String> values = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw OAuthException.invalidRequest("parameter 'resource' must be a string or an array of strings");
                    }
                    values.add(item.asText());
                }
                out.put(e.getKey(), values);
                continue;
            }
            if (!v.isValueNode()) {
                throw OAuthException.invalidRequest("parameter '" + OAuthException.echo(e.getKey()) + "' must be a string");
            }
            out.put(e.getKey(), List.of(v.asText()));
        }
        return out;
    }

    private static byte[] body(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        try (InputStream in = req.getInputStream()) {
            if (declared > MAX_BODY) {
                refuseTooLarge(in, declared);
            }
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                refuseTooLarge(in, declared);
            }
            return b;
        }
    }

    /**
     * Refuses an oversized body. A body of moderate size is read and dropped first: a server that
     * answers and closes while the client is still sending makes many clients fail with a broken
     * pipe instead of reading the 400. Anything larger is not worth reading.
     */
    private static void refuseTooLarge(InputStream in, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            long left = DRAIN_LIMIT;
            byte[] sink = new byte[8192];
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        }
        throw OAuthException.invalidRequest("the request body is too large");
    }

    static Map<String, List<String>> decode(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidRequest("the parameters are not properly percent-encoded");
            }
        }
        return out;
    }
}
