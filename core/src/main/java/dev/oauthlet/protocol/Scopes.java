package dev.oauthlet.protocol;

import dev.oauthlet.error.OAuthException;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Parses and formats RFC 6749 §3.3 scope strings. */
public final class Scopes {

    private Scopes() {
    }

    /**
     * Splits a space-delimited scope string; {@code null} or only spaces is the empty set. Only
     * spaces separate: {@code trim()} would also drop a trailing NUL or tab and let a malformed
     * scope through as a valid one (found by EndpointFuzzTest).
     */
    public static Set<String> parse(String scope) {
        if (scope == null) {
            return Set.of();
        }
        // A scan, not replaceAll and split: their two regular expressions were compiled on every call,
        // a tenth of a Bearer filter's own work on a token it had not seen (async-profiler).
        Set<String> out = null;
        int n = scope.length();
        int i = 0;
        while (i < n) {
            if (scope.charAt(i) == ' ') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && scope.charAt(i) != ' ') {
                char c = scope.charAt(i);
                if (c < 0x21 || c == '"' || c == '\\' || c > 0x7e) {
                    throw OAuthException.invalidScope("scope contains a character RFC 6749 section 3.3 does not allow");
                }
                i++;
            }
            if (out == null) {
                out = new LinkedHashSet<>();
            }
            out.add(scope.substring(start, i));
        }
        return out == null ? Set.of() : Collections.unmodifiableSet(out);
    }

    /**
     * Like {@link #parse(String)}, but with {@code commas} a comma separates scopes too, for APIs
     * that print {@code "user, password"} and may be sent it back.
     */
    public static Set<String> parse(String scope, boolean commas) {
        return parse(commas && scope != null ? scope.replace(',', ' ') : scope);
    }

    /** Sorted and space-delimited, so equal sets always print alike (the {@code scope} claim). */
    public static String format(Set<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    /** In the set's own order, joined with {@code separator} (the {@code scope} member of a token response). */
    public static String format(Set<String> scopes, String separator) {
        return String.join(separator, scopes);
    }

    /**
     * An unmodifiable copy that keeps the iteration order, so scopes print in the order they were
     * configured; given such a copy, that same copy. Array-backed: a set of two scopes costs some
     * 40 bytes instead of a hash set's 250, which counts in a cache of thousands of tokens.
     */
    public static Set<String> ordered(Collection<String> scopes) {
        if (scopes instanceof Ordered o) {
            return o;
        }
        return new Ordered(new LinkedHashSet<>(scopes).toArray(new String[0]));
    }

    /** Immutable, in insertion order; {@code contains} scans, as scope sets are a handful of names. */
    private static final class Ordered extends AbstractSet<String> {

        private final String[] names;

        Ordered(String[] names) {
            this.names = names;
        }

        @Override
        public int size() {
            return names.length;
        }

        @Override
        public boolean contains(Object o) {
            for (String n : names) {
                if (Objects.equals(n, o)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < names.length;
                }

                @Override
                public String next() {
                    if (next >= names.length) {
                        throw new NoSuchElementException();
                    }
                    return names[next++];
                }
            };
        }

        @Override
        public Object[] toArray() {
            return names.clone();
        }
    }
}
