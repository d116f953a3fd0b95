package dev.oauthlet.servlet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.ResourceIndicators;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 *
 * <p>Input is bounded before anything else looks at it: at most {@link #MAX_BODY} bytes of body,
 * {@link #MAX_PARAMETERS} parameters, names of {@link #MAX_NAME} and values of {@link #MAX_VALUE}
 * characters. Bytes must be UTF-8 and percent-encoding well formed; in a JSON body, the parameters
 * the protocol defines must be strings. Every violation is an {@code invalid_request}
 * ({@link RequestRefusal} where 413 or 415 is the accurate status), never a guess.
 */
public final class RequestParameters {

    /** Token requests are small; a larger body is refused before it is read. */
    static final int MAX_BODY = 16 * 1024;
    /** Oversized bodies up to this size are read and dropped before the 413, so the client sees it. */
    static final int DRAIN_LIMIT = 256 * 1024;
    /** More parameters than any OAuth request needs, by an order of magnitude. */
    static final int MAX_PARAMETERS = 64;
    /** The longest parameter name accepted. */
    static final int MAX_NAME = 128;
    /** The longest parameter value accepted: room for a large JWT, far from the body limit. */
    static final int MAX_VALUE = 8 * 1024;
    /**
     * The parameters RFC 6749, 7009, 7636 and 7662 define. In a JSON body they must be strings: a
     * number, boolean, array or object there is a client bug or a probe, not something to coerce.
     */
    static final Set<String> PROTOCOL_PARAMETERS = Set.of("grant_type", "client_id", "client_secret", "scope", "username",
            "password", "refresh_token", "code", "redirect_uri", "code_verifier", "token", "token_type_hint",
            "client_assertion", "client_assertion_type", "state", "response_type", "nonce", "resource");
    // Trailing tokens: '{"a":"b"} garbage' is malformed, not an object followed by noise to ignore.
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestParameters() {
    }

    /** {@code application/x-www-form-urlencoded} body. */
    public static Map<String, List<String>> form(HttpServletRequest req) throws IOException {
        return decode(utf8(body(req)));
    }

    /** The query string. */
    public static Map<String, List<String>> query(HttpServletRequest req) {
        return decode(req.getQueryString());
    }

    /** A JSON object body whose members are strings (numbers and booleans only outside the protocol's parameters). */
    public static Map<String, List<String>> json(HttpServletRequest req) throws IOException {
        return json(body(req));
    }

    /**
     * The parameters of a POST body in one of {@code formats}, chosen by its {@code Content-Type}.
     * A body sent without {@code Content-Type} (as some API documents print their requests) is read
     * as JSON when JSON is accepted and it starts with '{', otherwise as a form when forms are.
     *
     * @throws OAuthException {@code invalid_request}, or a {@link RequestRefusal} (415) for a type the endpoint does not accept
     */
    public static Map<String, List<String>> body(HttpServletRequest req, Set<RequestFormat> formats) throws IOException {
        checkContentType(req.getContentType(), formats);
        return parse(req.getContentType(), body(req), formats);
    }

    /**
     * Refuses, before any byte of the body is read, a {@code Content-Type} that none of
     * {@code formats} stands for.
     */
    static void checkContentType(String contentType, Set<RequestFormat> formats) {
        String type = normalise(contentType);
        boolean form = formats.contains(RequestFormat.FORM);
        boolean json = formats.contains(RequestFormat.JSON);
        boolean ok = type.startsWith("application/x-www-form-urlencoded") && form
                || (type.startsWith("application/json") || type.startsWith("application/vnd.api+json")) && json
                || type.isEmpty() && (form || json);
        if (!ok) {
            throw new RequestRefusal(415, "unsupported Content-Type; this endpoint accepts " + accepted(formats));
        }
        int charset = type.indexOf("charset=");
        if (charset >= 0) {
            String name = type.substring(charset + 8).split("[;\\s]", 2)[0].replace("\"", "");
            if (!name.equals("utf-8")) {
                throw new RequestRefusal(415, "the body must be UTF-8");
            }
        }
    }

    /** The parameters of a body already read, by its {@code Content-Type} (see {@link #body(HttpServletRequest, Set)}). */
    static Map<String, List<String>> parse(String contentType, byte[] b, Set<RequestFormat> formats) {
        checkContentType(contentType, formats);
        String type = normalise(contentType);
        boolean form = formats.contains(RequestFormat.FORM);
        boolean json = formats.contains(RequestFormat.JSON);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return decode(utf8(b));
        }
        if (!type.isEmpty() || (json && (!form || startsWithBrace(b)))) {
            return json(b);
        }
        return decode(utf8(b));
    }

    private static String normalise(String contentType) {
        return contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
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
        utf8(body);
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
        if (root.size() > MAX_PARAMETERS) {
            throw tooManyParameters();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            checkName(e.getKey());
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
                    checkValue(e.getKey(), item.asText());
                    values.add(item.asText());
                }
                out.put(e.getKey(), values);
                continue;
            }
            if (!v.isValueNode() || !v.isTextual() && PROTOCOL_PARAMETERS.contains(e.getKey())) {
                throw OAuthException.invalidRequest("parameter '" + OAuthException.echo(e.getKey()) + "' must be a string");
            }
            String value = v.asText();
            checkValue(e.getKey(), value);
            out.put(e.getKey(), List.of(value));
        }
        return out;
    }

    private static byte[] body(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        try (InputStream in = req.getInputStream()) {
            if (declared > MAX_BODY) {
                refuseTooLarge(in, declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] chunk = new byte[4096];
            // A cooperative deadline: checked between reads, each of which the container's idle timeout bounds.
            // Servlets registered with async support read without holding a thread at all (AsyncBodyReader).
            long deadline = System.nanoTime() + AsyncBodyReader.READ_DEADLINE.toNanos();
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                if (out.size() > MAX_BODY) {
                    refuseTooLarge(in, declared);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw AsyncBodyReader.tooSlow();
                }
            }
            return out.toByteArray();
        }
    }

    /**
     * Refuses an oversized body. A body of moderate size is read and dropped first: a server that
     * answers and closes while the client is still sending makes many clients fail with a broken
     * pipe instead of reading the 413. Anything larger is not worth reading.
     */
    private static void refuseTooLarge(InputStream in, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            long left = DRAIN_LIMIT;
            byte[] sink = new byte[8192];
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        }
        throw tooLarge();
    }

    static RequestRefusal tooLarge() {
        return new RequestRefusal(413, "the request body is too large (at most " + MAX_BODY + " bytes)");
    }

    /** Decodes UTF-8, refusing malformed input instead of replacing it. */
    static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw OAuthException.invalidRequest("the request is not valid UTF-8");
        }
    }

    static Map<String, List<String>> decode(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        int count = 0;
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw tooManyParameters();
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            checkName(name);
            checkValue(name, value);
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return out;
    }

    /**
     * {@code application/x-www-form-urlencoded} decoding that refuses what {@link java.net.URLDecoder}
     * lets through: a '%' not followed by two hex digits, and escapes that do not form UTF-8.
     */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    throw OAuthException.invalidRequest("the parameters are not properly percent-encoded");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    raw = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(raw);
            }
        }
        return utf8(bytes.toByteArray());
    }

    private static void checkName(String name) {
        if (name.length() > MAX_NAME) {
            throw OAuthException.invalidRequest("a parameter name is longer than " + MAX_NAME + " characters");
        }
    }

    private static void checkValue(String name, String value) {
        if (value.length() > MAX_VALUE) {
            throw OAuthException.invalidRequest("parameter '" + OAuthException.echo(name) + "' is longer than " + MAX_VALUE + " characters");
        }
    }

    private static OAuthException tooManyParameters() {
        return OAuthException.invalidRequest("more than " + MAX_PARAMETERS + " parameters");
    }
}
