package dev.oauthlet.example.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.Combinators;

/**
 * Requests of an authenticating client to a JSON endpoint (token, revocation, introspection): a
 * parameter list from the endpoint's generator, then a client authentication, an encoding, a
 * mutation, a method and an extra header, each either harmless or one that must make the server
 * refuse — which decides whether the request {@link FuzzRequest#mayEarn may earn} anything.
 */
final class ClientRequests {

    private ClientRequests() {
    }

    /**
     * A parameter list before encoding, and whether it is a valid request when well authenticated;
     * {@code headers} are the endpoint's own (a {@code DPoP} proof), sent as they are.
     */
    record Draft(List<Map.Entry<String, String>> params, List<Map.Entry<String, String>> headers, boolean valid, String note) {
        static Draft of(boolean valid, String note, String... kv) {
            List<Map.Entry<String, String>> p = new ArrayList<>();
            for (int i = 0; i < kv.length; i += 2) {
                if (kv[i + 1] != null) {
                    p.add(Map.entry(kv[i], kv[i + 1]));
                }
            }
            return new Draft(p, List.of(), valid, note);
        }

        /** This draft with {@code name=value} once per value (a repeatable parameter, such as {@code resource}). */
        Draft with(String name, List<String> values, boolean ok, String what) {
            List<Map.Entry<String, String>> p = new ArrayList<>(params);
            values.forEach(v -> p.add(Map.entry(name, v)));
            return new Draft(p, headers, valid && ok, values.isEmpty() ? note : note + ", " + what);
        }

        /** This draft with {@code headers} added. */
        Draft withHeaders(List<Map.Entry<String, String>> more, boolean ok, String what) {
            List<Map.Entry<String, String>> h = new ArrayList<>(headers);
            h.addAll(more);
            return new Draft(params, h, valid && ok, note + ", " + what);
        }
    }

    enum Auth {
        BASIC_GOOD(true), BODY_GOOD(true), BASIC_WRONG(false), BASIC_UNKNOWN(false), BASIC_GARBAGE(false), BASIC_EMPTY(false),
        BODY_WRONG(false), ID_ONLY(false), BOTH(false), TWO_HEADERS(false), BEARER(false), ASSERTION_GARBAGE(false),
        ASSERTION_AND_SECRET(false), NONE(false),
        /** The draft carries its own client authentication (a client assertion); nothing is added. */
        IN_DRAFT(true);

        final boolean good;

        Auth(boolean good) {
            this.good = good;
        }
    }

    enum Encoding {
        FORM(true), FORM_UTF8(true), JSON(true), JSON_NO_TYPE(true), FORM_NO_TYPE(true), TEXT(false), MULTIPART(false),
        FORM_LATIN1(false), XML(false);

        final boolean ok;

        Encoding(boolean ok) {
            this.ok = ok;
        }
    }

    enum Mutation {
        NONE(true), UNKNOWN_PARAMETER(true), TRUNCATED(true), DUPLICATE(false), BAD_PERCENT(false), BAD_UTF8(false),
        RANDOM_BYTES(false), HUGE_VALUE(false), NUMBER_VALUE(false), NUL_IN_VALUE(false), EMPTY_BODY(false), TOO_MANY(false);

        final boolean keeps;

        Mutation(boolean keeps) {
            this.keeps = keeps;
        }
    }

    static Arbitrary<FuzzRequest> requests(String path, Arbitrary<Draft> drafts) {
        // IN_DRAFT is for drafts that authenticate themselves; these rely on the authentication chosen here.
        return requests(path, drafts, Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(Auth.BASIC_GOOD, Auth.BODY_GOOD)),
                Tuple.of(4, Arbitraries.of(Auth.class).filter(a -> a != Auth.IN_DRAFT))));
    }

    /** As above, with the client authentications to choose from. */
    static Arbitrary<FuzzRequest> requests(String path, Arbitrary<Draft> drafts, Arbitrary<Auth> auth) {
        Arbitrary<Encoding> encoding = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(Encoding.FORM, Encoding.JSON)),
                Tuple.of(3, Arbitraries.of(Encoding.class)));
        Arbitrary<Mutation> mutation = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(Mutation.NONE)),
                Tuple.of(6, Arbitraries.of(Mutation.class)));
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("POST")),
                Tuple.of(1, Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "post", "FOO")));
        return Combinators.combine(drafts, auth, encoding, mutation, method, extraHeaders(), Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as((draft, a, e, m, meth, extra, noise) -> render(path, draft, a, e, m, meth, extra, noise));
    }

    /** Headers that must change nothing, and some that must make the request fail. */
    static Arbitrary<List<Map.Entry<String, Map.Entry<String, Boolean>>>> extraHeaders() {
        Arbitrary<Map.Entry<String, Map.Entry<String, Boolean>>> one = Arbitraries.of(
                Map.entry("X-Forwarded-For", Map.entry("10.0.0.1, 203.0.113.9", true)),
                Map.entry("X-Forwarded-For", Map.entry("not an address", true)),
                Map.entry("Forwarded", Map.entry("for=\"[::1]\";proto=https", true)),
                Map.entry("Accept", Map.entry("text/html", true)),
                Map.entry("Accept-Charset", Map.entry("iso-8859-1", true)),
                Map.entry("Cookie", Map.entry("JSESSIONID=x; oauthlet_session=garbage", true)),
                Map.entry("Origin", Map.entry("https://evil.example", true)),
                Map.entry("X-Long", Map.entry("y".repeat(6000), true)),
                Map.entry("X-Too-Long", Map.entry("z".repeat(9000), false)),
                Map.entry("Transfer-Encoding", Map.entry("chunked", false)),
                Map.entry("Content-Encoding", Map.entry("gzip", true)),
                Map.entry("Expect", Map.entry("100-continue", true)),
                Map.entry("X-Bytes", Map.entry("\u00e9\u00ff", true)),
                // The fuzzed client has DPoP off, so a proof, even a broken or doubled one, changes nothing for it.
                Map.entry("DPoP", Map.entry("e30.e30.sig", true)),
                Map.entry("DPoP", Map.entry("not a proof, at all", true)));
        return one.list().ofMaxSize(2);
    }

    static FuzzRequest render(String path, Draft draft, Auth auth, Encoding encoding, Mutation mutation, String method,
                              List<Map.Entry<String, Map.Entry<String, Boolean>>> extra, byte[] noise) {
        List<Map.Entry<String, String>> params = new ArrayList<>(draft.params());
        List<Map.Entry<String, String>> headers = new ArrayList<>(draft.headers());
        switch (auth) {
            case BASIC_GOOD -> headers.add(Map.entry("Authorization", FuzzFixture.basic(FuzzFixture.CLIENT, FuzzFixture.SECRET)));
            case BODY_GOOD -> {
                params.add(Map.entry("client_id", FuzzFixture.CLIENT));
                params.add(Map.entry("client_secret", FuzzFixture.SECRET));
            }
            case BASIC_WRONG -> headers.add(Map.entry("Authorization", FuzzFixture.basic(FuzzFixture.CLIENT, "wrong")));
            case BASIC_UNKNOWN -> headers.add(Map.entry("Authorization", FuzzFixture.basic("nobody", FuzzFixture.SECRET)));
            case BASIC_GARBAGE -> headers.add(Map.entry("Authorization", "Basic " + new String(noise, StandardCharsets.ISO_8859_1)
                    .replaceAll("[\\r\\n]", "")));
            case BASIC_EMPTY -> headers.add(Map.entry("Authorization", "Basic"));
            case BODY_WRONG -> {
                params.add(Map.entry("client_id", FuzzFixture.CLIENT));
                params.add(Map.entry("client_secret", FuzzFixture.SECRET + "x"));
            }
            case ID_ONLY -> params.add(Map.entry("client_id", FuzzFixture.CLIENT));
            case BOTH -> {
                headers.add(Map.entry("Authorization", FuzzFixture.basic(FuzzFixture.CLIENT, FuzzFixture.SECRET)));
                params.add(Map.entry("client_secret", FuzzFixture.SECRET));
            }
            case TWO_HEADERS -> {
                headers.add(Map.entry("Authorization", FuzzFixture.basic(FuzzFixture.CLIENT, FuzzFixture.SECRET)));
                headers.add(Map.entry("Authorization", FuzzFixture.basic(FuzzFixture.CLIENT, FuzzFixture.SECRET)));
            }
            case BEARER -> headers.add(Map.entry("Authorization", "Bearer e30.e30.sig"));
            case ASSERTION_GARBAGE -> {
                params.add(Map.entry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
                params.add(Map.entry("client_assertion", new String(noise, StandardCharsets.ISO_8859_1) + ".e30.sig"));
            }
            case ASSERTION_AND_SECRET -> {
                params.add(Map.entry("client_id", FuzzFixture.CLIENT));
                params.add(Map.entry("client_secret", FuzzFixture.SECRET));
                params.add(Map.entry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
                params.add(Map.entry("client_assertion", "e30.e30.sig"));
            }
            case NONE, IN_DRAFT -> { }
        }
        boolean keeps = mutation.keeps;
        switch (mutation) {
            case UNKNOWN_PARAMETER -> params.add(Map.entry("x_unknown", "1"));
            case DUPLICATE -> {
                if (params.isEmpty()) {
                    params.add(Map.entry("grant_type", "x"));
                }
                params.add(params.get(0));
            }
            case HUGE_VALUE -> params.add(Map.entry("scope", "s".repeat(9000)));
            case NUL_IN_VALUE -> params.add(Map.entry("scope", "read\u0000"));
            case TOO_MANY -> {
                for (int i = 0; i < 70; i++) {
                    params.add(Map.entry("p" + i, "v"));
                }
            }
            default -> { }
        }
        if (mutation == Mutation.NUL_IN_VALUE) {
            // A second, malformed scope breaks a token request; revocation and introspection ignore scope.
            keeps = !path.endsWith("/token");
        }
        byte[] body = switch (encoding) {
            case JSON, JSON_NO_TYPE -> json(params, mutation == Mutation.NUMBER_VALUE);
            default -> form(params).getBytes(StandardCharsets.UTF_8);
        };
        if (mutation == Mutation.NUMBER_VALUE && encoding != Encoding.JSON && encoding != Encoding.JSON_NO_TYPE) {
            keeps = true;
        }
        body = switch (mutation) {
            case TRUNCATED -> java.util.Arrays.copyOf(body, body.length / 2);
            case BAD_PERCENT -> concat(body, encoding == Encoding.JSON || encoding == Encoding.JSON_NO_TYPE ? "}%G" : "&x=%G1");
            case BAD_UTF8 -> concat(body, new byte[] {'&', 'x', '=', (byte) 0xC3, (byte) 0x28});
            case RANDOM_BYTES -> noise.length == 0 ? new byte[] {'%'} : noise;
            case EMPTY_BODY -> new byte[0];
            default -> body;
        };
        String type = switch (encoding) {
            case FORM -> FuzzFixture.FORM;
            case FORM_UTF8 -> FuzzFixture.FORM + "; charset=UTF-8";
            case JSON -> "application/json";
            case TEXT -> "text/plain";
            case MULTIPART -> "multipart/form-data; boundary=x";
            case FORM_LATIN1 -> FuzzFixture.FORM + "; charset=ISO-8859-1";
            case XML -> "application/xml";
            case JSON_NO_TYPE, FORM_NO_TYPE -> null;
        };
        if (type != null) {
            headers.add(Map.entry("Content-Type", type));
        }
        boolean headersKeep = true;
        for (Map.Entry<String, Map.Entry<String, Boolean>> h : extra) {
            headers.add(Map.entry(h.getKey(), h.getValue().getKey()));
            headersKeep &= h.getValue().getValue();
        }
        boolean earns = draft.valid() && auth.good && encoding.ok && keeps && method.equals("POST") && headersKeep
                // A cut body may have lost exactly what made it invalid (a second client_secret, a bad scope): no verdict.
                || mutation == Mutation.TRUNCATED;
        String note = draft.note() + ", " + auth + ", " + encoding + ", " + mutation;
        return new FuzzRequest(method, path, headers, body, earns, note);
    }

    static String form(List<Map.Entry<String, String>> params) {
        StringJoiner j = new StringJoiner("&");
        for (Map.Entry<String, String> p : params) {
            j.add(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return j.toString();
    }

    private static byte[] json(List<Map.Entry<String, String>> params, boolean numberForFirst) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        boolean first = true;
        for (Map.Entry<String, String> p : params) {
            String value = first && numberForFirst ? "1" : quote(p.getValue());
            j.add(quote(p.getKey()) + ": " + value);
            first = false;
        }
        return j.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static byte[] concat(byte[] a, String s) {
        return concat(a, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
