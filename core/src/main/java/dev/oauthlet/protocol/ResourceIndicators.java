package dev.oauthlet.protocol;

import dev.oauthlet.error.OAuthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 8707 resource indicators: a request's {@code resource} values select the {@code aud} of its
 * token among the audiences a client (or a grant) allows. Only absolute URIs are indicators; an
 * audience with a plain name ({@code back-office}) can be a default but is never selected.
 */
public final class ResourceIndicators {

    /** RFC 8707's parameter, which a request may repeat to name several resources. */
    public static final String PARAMETER = "resource";

    private ResourceIndicators() {
    }

    /** Every non-empty {@code resource} value of raw request parameters, in the order sent. */
    public static List<String> values(Map<String, List<String>> raw) {
        List<String> values = raw.get(PARAMETER);
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isEmpty()).toList();
    }

    /** {@code true} for an absolute URI without a fragment (RFC 8707 §2), the only form a {@code resource} may take. */
    public static boolean isIndicator(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        try {
            URI u = new URI(value);
            return u.isAbsolute() && u.getRawFragment() == null && value.indexOf('#') < 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The audiences a token gets: {@code defaults} when nothing is requested, otherwise the
     * requested resources, once each in the order asked, each of which must be among {@code allowed}.
     *
     * @throws OAuthException {@code invalid_target} for a value that is not an absolute URI
     *                        without fragment, or that {@code allowed} does not hold
     */
    public static List<String> select(List<String> requested, Collection<String> allowed, List<String> defaults) {
        if (requested.isEmpty()) {
            return List.copyOf(defaults);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String r : requested) {
            if (!isIndicator(r)) {
                throw OAuthException.invalidTarget("resource '" + OAuthException.echo(r)
                        + "' is not an absolute URI without fragment (RFC 8707)");
            }
            if (!allowed.contains(r)) {
                throw OAuthException.invalidTarget("resource '" + OAuthException.echo(r) + "' is not available to this client");
            }
            out.add(r);
        }
        return List.copyOf(out);
    }
}
