package dev.oauthlet.user;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standard claims of OpenID Connect Core 1.0 §5.1, and which scope releases which (§5.4):
 * what {@code users[].userinfo} may hold and what the userinfo endpoint answers with.
 */
public final class StandardClaims {

    /** The claims each scope releases, in the order §5.4 lists them. */
    public static final Map<String, List<String>> BY_SCOPE = scopes();
    /** The members an {@code address} object may have (§5.1.1). */
    public static final List<String> ADDRESS_MEMBERS = List.of("formatted", "street_address", "locality", "region", "postal_code",
            "country");

    private static final Set<String> BOOLEANS = Set.of("email_verified", "phone_number_verified");

    private StandardClaims() {
    }

    private static Map<String, List<String>> scopes() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("profile", List.of("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile",
                "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"));
        m.put("email", List.of("email", "email_verified"));
        m.put("address", List.of("address"));
        m.put("phone", List.of("phone_number", "phone_number_verified"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Every claim a scope can release. */
    public static List<String> names() {
        return BY_SCOPE.values().stream().flatMap(List::stream).toList();
    }

    /**
     * Why {@code value} cannot be claim {@code name}, or {@code null} when it can: a boolean for
     * {@code email_verified} and {@code phone_number_verified}, a whole number for
     * {@code updated_at}, an object of strings for {@code address}, a string for all others.
     */
    public static String problem(String name, Object value) {
        if (!names().contains(name)) {
            return "'" + name + "' is not a standard claim (known: " + String.join(", ", names()) + ")";
        }
        if (BOOLEANS.contains(name)) {
            return value instanceof Boolean ? null : "'" + name + "' must be true or false";
        }
        if (name.equals("updated_at")) {
            return value instanceof Long || value instanceof Integer ? null : "'updated_at' must be seconds since the epoch";
        }
        if (name.equals("address")) {
            if (!(value instanceof Map<?, ?> address)) {
                return "'address' must be an object (" + String.join(", ", ADDRESS_MEMBERS) + ")";
            }
            for (Map.Entry<?, ?> e : address.entrySet()) {
                if (!ADDRESS_MEMBERS.contains(String.valueOf(e.getKey())) || !(e.getValue() instanceof String)) {
                    return "'address' may hold only strings named " + String.join(", ", ADDRESS_MEMBERS);
                }
            }
            return null;
        }
        return value instanceof String ? null : "'" + name + "' must be a string";
    }

    /** An unmodifiable copy of {@code claims}, every one checked by {@link #problem}. */
    static Map<String, Object> checked(Map<String, Object> claims) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            String problem = problem(e.getKey(), e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            Object v = e.getValue() instanceof Map<?, ?> m ? Map.copyOf(m) : e.getValue() instanceof Integer i ? Long.valueOf(i) : e.getValue();
            copy.put(e.getKey(), v);
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** The claims of {@code userinfo} that {@code scopes} release (§5.4); {@code sub} is the caller's to add. */
    public static Map<String, Object> released(Map<String, Object> userinfo, Set<String> scopes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> scope : BY_SCOPE.entrySet()) {
            if (scopes.contains(scope.getKey())) {
                for (String name : scope.getValue()) {
                    if (userinfo.containsKey(name)) {
                        out.put(name, userinfo.get(name));
                    }
                }
            }
        }
        return out;
    }
}
