package dev.oauthlet.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** The request as the application sees it behind {@link BearerTokenFilter}: the token's principal, its scopes as roles. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    /** The value of {@link #getAuthType()} for requests the filter let through. */
    static final String AUTH_TYPE = "Bearer";

    private final TokenPrincipal principal;

    AuthenticatedRequest(HttpServletRequest request, TokenPrincipal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
        return principal.token().scopes().contains(role);
    }

    @Override
    public String getAuthType() {
        return AUTH_TYPE;
    }
}
