package dev.oauthlet.servlet;

import dev.oauthlet.error.OAuthException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Finds the access token of a request the ways RFC 6750 §2 allows: the {@code Authorization:
 * Bearer} header always; the {@code access_token} form-body parameter (§2.2) and query parameter
 * (§2.3) only when enabled, since they leak tokens into logs and histories. With DPoP accepted,
 * also {@code Authorization: DPoP} (RFC 9449 §7.1), which the result marks.
 */
final class BearerTokenExtractor {

    /** The outcome: no token, one token, or a request to refuse with {@code invalid_request}. */
    record Result(String token, String invalidRequest, boolean dpopScheme) {
        static final Result NONE = new Result(null, null, false);

        static Result token(String token, boolean dpopScheme) {
            return new Result(token, null, dpopScheme);
        }

        static Result invalid(String why) {
            return new Result(null, why, false);
        }
    }

    private final boolean formBody;
    private final boolean query;
    private final boolean dpop;

    BearerTokenExtractor(boolean formBody, boolean query) {
        this(formBody, query, false);
    }

    /** @param dpop also take {@code Authorization: DPoP} */
    BearerTokenExtractor(boolean formBody, boolean query, boolean dpop) {
        this.formBody = formBody;
        this.query = query;
        this.dpop = dpop;
    }

    Result extract(HttpServletRequest req) {
        List<String> found = new ArrayList<>(1);
        boolean dpopScheme = false;
        List<String> headers = Collections.list(req.getHeaders("Authorization"));
        for (String h : headers) {
            int length = scheme(h, "Bearer") ? 6 : dpop && scheme(h, "DPoP") ? 4 : -1;
            if (length > 0) {
                String t = h.substring(length).strip();
                if (t.isEmpty()) {
                    return Result.invalid("the Authorization header holds no token");
                }
                found.add(t);
                dpopScheme = length == 4;
            }
        }
        if (query || formBody) {
            List<String> fromQuery;
            try {
                fromQuery = RequestParameters.decode(req.getQueryString()).getOrDefault("access_token", List.of());
            } catch (OAuthException e) {
                // A malformed query is the client's mistake: RFC 6750 §3.1 invalid_request, not a 500.
                return Result.invalid(e.description());
            }
            if (query) {
                found.addAll(fromQuery);
            }
            if (formBody && isForm(req)) {
                // getParameterValues mixes query and body; the body's are what is left after the query's.
                String[] all = req.getParameterValues("access_token");
                List<String> body = all == null ? new ArrayList<>() : new ArrayList<>(List.of(all));
                for (String q : fromQuery) {
                    body.remove(q);
                }
                found.addAll(body);
            }
        }
        if (found.size() > 1) {
            return Result.invalid("the request carries more than one access token");
        }
        return found.isEmpty() ? Result.NONE : Result.token(found.get(0), dpopScheme);
    }

    private static boolean scheme(String header, String scheme) {
        int n = scheme.length();
        return header.regionMatches(true, 0, scheme, 0, n) && (header.length() == n || header.charAt(n) == ' ');
    }

    private static boolean isForm(HttpServletRequest req) {
        String type = req.getContentType();
        return !"GET".equals(req.getMethod()) && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Whether the query form is on, for the {@code Cache-Control: private} RFC 6750 §2.3 asks for. */
    boolean queryEnabled() {
        return query;
    }
}
