package dev.oauthlet.authorize;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HostLogin} or {@link SecondFactor} is told about the browser's request at the
 * authorization endpoint. Core knows no servlet types; the servlet layer hands over its request
 * and response, which {@link #unwrap} gives back (e.g. {@code unwrap(HttpServletRequest.class)} to
 * read the application's own session).
 */
public final class HostContext {

    private final AuthorizationRequest request;
    private final String returnTo;
    private final boolean switchAccount;
    private final List<Object> container;

    /**
     * @param returnTo      the authorization request as a path and query on this server
     * @param switchAccount the user asked to sign in as someone else ("Not you?")
     * @param container     the container's objects for this request, e.g. its request and response
     */
    public HostContext(AuthorizationRequest request, String returnTo, boolean switchAccount, List<Object> container) {
        this.request = Objects.requireNonNull(request, "request");
        this.returnTo = Objects.requireNonNull(returnTo, "returnTo");
        this.switchAccount = switchAccount;
        this.container = List.copyOf(container);
    }

    /** The validated authorization request: its client, scopes, resources and raw parameters. */
    public AuthorizationRequest request() {
        return request;
    }

    /**
     * Where to send the browser back to once the application has done its part: the authorization
     * request's path (context path included) and query on this server. Send it there with a GET.
     */
    public String returnTo() {
        return returnTo;
    }

    /**
     * {@code true} for {@code prompt=none} (OpenID Connect Core §3.1.2.1): the user must see no page
     * and the response must not be written here; an answer that would show one
     * ({@link HostLogin#sendTo}, {@link SecondFactor#sendTo}) gives the client {@code login_required}.
     */
    public boolean silent() {
        return request.prompts().contains("none");
    }

    /** {@code true} when the user chose "Not you?" on the consent page: sign them out or offer another account. */
    public boolean switchAccount() {
        return switchAccount;
    }

    /** The container's object of that type for this request, such as {@code jakarta.servlet.http.HttpServletRequest}. */
    public <T> Optional<T> unwrap(Class<T> type) {
        return container.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
