package dev.oauthlet.servlet;

import dev.oauthlet.protocol.Scopes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scopes a request needs by its path (and optionally method): the filter's {@code path-scopes}
 * init-param, rules separated by newlines or {@code ;}, each {@code [METHOD] PATTERN = scope ...},
 * for example {@code GET /orders/* = orders:read; POST /orders/* = orders:write}. Patterns are
 * servlet-style and relative to the context path: exact ({@code /health}), prefix
 * ({@code /orders/*}, which also matches {@code /orders}) or extension ({@code *.csv}). Every rule
 * that matches adds its scopes. A {@code GET} rule also guards {@code HEAD}, which servlets answer by
 * running {@code doGet}.
 */
final class ScopeRules {

    /**
     * One rule, its pattern split once at parse time so matching allocates nothing per request.
     *
     * @param prefix    for {@code /a/*}: {@code /a} ({@code ""} for {@code /*}); otherwise {@code null}
     * @param extension for {@code *.csv}: {@code .csv}; otherwise {@code null}
     */
    private record Rule(String method, String pattern, String prefix, String extension, Set<String> scopes) {
        static Rule of(String method, String pattern, Set<String> scopes) {
            String prefix = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : null;
            String extension = pattern.startsWith("*.") ? pattern.substring(1) : null;
            return new Rule(method, pattern, prefix, extension, scopes);
        }

        boolean matches(String m, String path) {
            // HEAD is GET without the body (HttpServlet.doHead runs doGet), so a GET rule guards it too.
            if (method != null && !method.equals(m) && !("GET".equals(method) && "HEAD".equals(m))) {
                return false;
            }
            if (prefix != null) {
                return prefix.isEmpty() || (path.startsWith(prefix)
                        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'));
            }
            if (extension != null) {
                return path.endsWith(extension);
            }
            return path.equals(pattern);
        }
    }

    static final ScopeRules NONE = new ScopeRules(List.of());

    private final List<Rule> rules;

    private ScopeRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Every scope some rule requires, in rule order. */
    Set<String> allScopes() {
        Set<String> all = new java.util.LinkedHashSet<>();
        for (Rule r : rules) {
            all.addAll(r.scopes());
        }
        return all;
    }

    /**
     * Parses the rules.
     *
     * @throws IllegalArgumentException saying which rule is wrong and why
     */
    static ScopeRules parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("[;\\n]")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("rule '" + line + "' needs '= scope ...' (e.g. GET /orders/* = orders:read)");
            }
            String[] left = line.substring(0, eq).strip().split("\\s+");
            if (left.length > 2 || left[0].isEmpty()) {
                throw new IllegalArgumentException("rule '" + line + "': expected [METHOD] PATTERN before '='");
            }
            String method = left.length == 2 ? left[0].toUpperCase(Locale.ROOT) : null;
            String pattern = left[left.length - 1];
            boolean valid = pattern.startsWith("*.") ? !pattern.substring(2).contains("/") && !pattern.substring(2).contains("*")
                    : pattern.startsWith("/") && pattern.indexOf('*') == (pattern.endsWith("/*") ? pattern.length() - 1 : -1);
            if (!valid) {
                throw new IllegalArgumentException("rule '" + line + "': pattern '" + pattern
                        + "' must be exact (/a/b), a prefix (/a/*) or an extension (*.csv)");
            }
            Set<String> scopes = Scopes.parse(line.substring(eq + 1));
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("rule '" + line + "' names no scope after '='");
            }
            rules.add(Rule.of(method, pattern, scopes));
        }
        return new ScopeRules(rules);
    }

    /** The scopes a request with this method and path (context-relative) needs, beyond the filter-wide ones. */
    Set<String> required(String method, String path) {
        if (rules.isEmpty()) {
            return Set.of();
        }
        Set<String> out = null;
        for (Rule r : rules) {
            if (r.matches(method, path)) {
                if (out == null) {
                    out = new LinkedHashSet<>();
                }
                out.addAll(r.scopes());
            }
        }
        return out == null ? Set.of() : Collections.unmodifiableSet(out);
    }
}
