package dev.oauthlet.protocol;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The {@code DPoP} header of a request (RFC 9449 §4.1) with what its proof is checked against: the
 * request's method, and the URIs the request may truthfully be said to have been sent to.
 *
 * @param proof  the header's value, unverified
 * @param method the HTTP method
 * @param urls   the public URL of the endpoint (issuer origin and request path) and the URL the container saw;
 *               without query
 */
public record DpopHeader(String proof, String method, List<URI> urls) {

    public DpopHeader {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(method, "method");
        urls = List.copyOf(urls);
    }

    @Override
    public String toString() {
        return "DpopHeader[" + method + " " + urls + "]";
    }
}
