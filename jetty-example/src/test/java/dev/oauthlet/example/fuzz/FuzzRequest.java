package dev.oauthlet.example.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One generated request, and what the generator knows about it: whether a correct server may
 * hand out a token for it ({@code mayEarn}). Everything else must be refused.
 *
 * @param method  the request method, sent as is
 * @param target  path and query, sent as is
 * @param headers headers besides Host, Connection and Content-Length
 * @param body    the body, or {@code null} for none
 * @param mayEarn whether the request is well formed and carries valid credentials and grant
 * @param note    what the generator did, for the failure report
 */
record FuzzRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body, boolean mayEarn, String note) {

    FuzzRequest {
        headers = List.copyOf(headers);
    }

    static FuzzRequest get(String target, List<Map.Entry<String, String>> headers, boolean mayEarn, String note) {
        return new FuzzRequest("GET", target, headers, null, mayEarn, note);
    }

    FuzzRequest withMethod(String m, boolean stillEarns) {
        return new FuzzRequest(m, target, headers, body, mayEarn && stillEarns, note + ", method " + m);
    }

    FuzzRequest withHeader(String name, String value, boolean stillEarns) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new FuzzRequest(method, target, h, body, mayEarn && stillEarns, note + ", +" + name);
    }

    FuzzRequest withBody(byte[] b, boolean stillEarns, String what) {
        return new FuzzRequest(method, target, headers, b, mayEarn && stillEarns, note + ", " + what);
    }

    /** The request's Authorization headers, in order. */
    List<String> authorizations() {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase("Authorization")).map(Map.Entry::getValue).toList();
    }

    @Override
    public String toString() {
        String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return method + " " + target + " " + headers + " [" + (b.length() > 300 ? b.substring(0, 300) + "…" : b) + "] (" + note
                + (mayEarn ? ", may earn a token" : "") + ")";
    }
}
