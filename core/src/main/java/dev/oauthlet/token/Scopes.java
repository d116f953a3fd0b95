package dev.oauthlet.token;

import dev.oauthlet.error.OAuthException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/** Parses and formats RFC 6749 §3.3 scope strings. */
public final class Scopes {

    private Scopes() {
    }

    /** Splits a space-delimited scope string; {@code null} or blank is the empty set. */
    public static Set<String> parse(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : scope.trim().split(" +")) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x21 || c == '"' || c == '\\' || c > 0x7e) {
                    throw OAuthException.invalidScope("scope contains a character RFC 6749 §3.3 does not allow");
                }
            }
            out.add(s);
        }
        return Collections.unmodifiableSet(out);
    }

    /** Sorted and space-delimited, so equal sets always print alike. */
    public static String format(Set<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }
}
