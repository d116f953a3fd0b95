package dev.oauthlet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the server can issue tokens: its store answers and it has a signing key. What failed
 * is named, never why (no message, host or stack trace), so the answer tells an attacker nothing.
 *
 * @param store      the store answered a read
 * @param signingKey a current signing key is at hand
 */
public record Health(boolean store, boolean signingKey) {

    public boolean up() {
        return store && signingKey;
    }

    /** {@code {"status":"UP","checks":{"store":"UP","signing_key":"UP"}}}, or DOWN where it is. */
    public String json() {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("store", state(store));
        checks.put("signing_key", state(signingKey));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", state(up()));
        m.put("checks", checks);
        return dev.oauthlet.protocol.Json.write(m);
    }

    private static String state(boolean ok) {
        return ok ? "UP" : "DOWN";
    }
}
