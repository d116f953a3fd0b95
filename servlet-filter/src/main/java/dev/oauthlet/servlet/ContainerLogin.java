package dev.oauthlet.servlet;

import dev.oauthlet.authorize.HostContext;
import dev.oauthlet.authorize.HostLogin;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code authorization.host-login: container}: the servlet container's own authentication signs
 * the user in. The application declares a {@code <login-config>} (FORM, or an SSO valve or filter)
 * and leaves the authorization endpoint's path unconstrained: Oauthlet takes
 * {@link HttpServletRequest#getUserPrincipal()} — the container's verdict, never a header — whose
 * name becomes the user's {@code sub}, and a FORM, BASIC or DIGEST login the ID token's
 * {@code amr: ["pwd"]}. Nobody signed in: a request that may prompt is handed to the container's
 * login with {@link HttpServletRequest#authenticate(HttpServletResponse)}, which brings the browser
 * back to the request afterwards; {@code prompt=none} never prompts, and the client gets
 * {@code login_required}. (Not under a {@code <security-constraint>}: the container would show its
 * login before Oauthlet sees a {@code prompt=none} request.) "Not you?" signs
 * the user out of the container ({@link HttpServletRequest#logout()}, the HTTP session invalidated)
 * and sends the browser back to the request, where the container asks for a login again.
 *
 * <p>When the user authenticated is known only for logins Oauthlet asked for: it marks the HTTP
 * session before {@code authenticate}, and the first request back with a principal records that
 * instant, which becomes {@code auth_time}. {@code prompt=login}, and a {@code max_age} that
 * instant does not satisfy (or there is none: the user signed in to the application before, and
 * the container does not say when), sign the user out of the container and ask it for a login
 * again; {@code prompt=none} then gives the client {@code login_required}.
 */
final class ContainerLogin implements HostLogin {

    /** In the HTTP session: Oauthlet has asked the container for a login, not yet seen done. */
    static final String LOGIN_ASKED = "dev.oauthlet.container-login-asked";
    /** In the HTTP session: epoch milliseconds of the login Oauthlet asked for and saw done. */
    static final String AUTHENTICATED_AT = "dev.oauthlet.container-authenticated-at";

    private final Clock clock;

    ContainerLogin(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Answer authenticate(HostContext context) {
        HttpServletRequest req = context.unwrap(HttpServletRequest.class)
                .orElseThrow(() -> new IllegalStateException("the container's request was not handed over"));
        if (context.switchAccount()) {
            try {
                req.logout();
            } catch (ServletException e) {
                throw new IllegalStateException("the container could not sign the user out", e);
            }
            HttpSession session = req.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            return HostLogin.sendTo(context.returnTo());
        }
        Principal user = req.getUserPrincipal();
        boolean justAuthenticated = user != null && loginDone(req);
        if (user != null && !justAuthenticated && mustAuthenticateAgain(context, req)) {
            if (context.silent() || !"GET".equals(req.getMethod())) {
                return HostLogin.sendTo(context.returnTo());
            }
            try {
                req.logout();
            } catch (ServletException e) {
                throw new IllegalStateException("the container could not sign the user out", e);
            }
            HttpSession old = session(req, false);
            if (old != null) {
                old.invalidate();
            }
            user = null;
        }
        if (user == null && !context.silent() && "GET".equals(req.getMethod())) {
            HttpServletResponse resp = context.unwrap(HttpServletResponse.class)
                    .orElseThrow(() -> new IllegalStateException("the container's response was not handed over"));
            HttpSession marked = session(req, true);
            if (marked != null) {
                marked.setAttribute(LOGIN_ASKED, Boolean.TRUE);
            }
            try {
                if (!req.authenticate(resp)) {
                    // The container has answered: its login page, or a challenge.
                    return HostLogin.answered();
                }
            } catch (ServletException e) {
                return HostLogin.denied("the container could not authenticate this request (" + e.getMessage() + "): "
                        + "give the web application a <login-config> in web.xml");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            user = req.getUserPrincipal();
            if (user != null) {
                loginDone(req);
            }
        }
        if (user == null && (context.silent() || !"GET".equals(req.getMethod()))) {
            // prompt=none: the client hears login_required. A form posted after the container's session ended:
            // back to the request, as a GET, where the container asks.
            return HostLogin.sendTo(context.returnTo());
        }
        if (user == null || user.getName() == null || user.getName().isEmpty()) {
            // Headers such as Remote-User are never read: only the container can say who signed in.
            return HostLogin.denied("authorization.host-login is 'container', but the container authenticated nobody for "
                    + req.getServletPath() + ": give the web application a <login-config> (FORM, or an SSO valve or filter) in web.xml");
        }
        // FORM, BASIC and DIGEST logins check a password (RFC 8176 "pwd"); of other schemes nothing is claimed.
        String type = req.getAuthType();
        boolean password = HttpServletRequest.FORM_AUTH.equals(type) || HttpServletRequest.BASIC_AUTH.equals(type)
                || HttpServletRequest.DIGEST_AUTH.equals(type);
        return HostLogin.signedIn(new AuthenticatedUser(user.getName(), Map.of()), password ? SignInContext.password() : null,
                authenticatedAt(req));
    }

    /** {@code true}, once, when the login Oauthlet asked for is done: its instant is recorded. */
    private boolean loginDone(HttpServletRequest req) {
        HttpSession session = session(req, false);
        if (session == null || session.getAttribute(LOGIN_ASKED) == null) {
            return false;
        }
        session.removeAttribute(LOGIN_ASKED);
        session.setAttribute(AUTHENTICATED_AT, clock.millis());
        return true;
    }

    /** When the login Oauthlet saw done was, in this HTTP session; {@code null} when it saw none. */
    private static Instant authenticatedAt(HttpServletRequest req) {
        HttpSession session = session(req, false);
        Object at = session == null ? null : session.getAttribute(AUTHENTICATED_AT);
        return at instanceof Long millis ? Instant.ofEpochMilli(millis) : null;
    }

    /** The HTTP session; {@code null} without one, or in a context that keeps none (nothing is recorded then). */
    private static HttpSession session(HttpServletRequest req, boolean create) {
        try {
            return req.getSession(create);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** {@code prompt=login}, or a {@code max_age} the known login does not satisfy (an unknown one never does). */
    private boolean mustAuthenticateAgain(HostContext context, HttpServletRequest req) {
        if (context.request().prompts().contains("login")) {
            return true;
        }
        Long maxAge = context.request().maxAge();
        if (maxAge == null) {
            return false;
        }
        Instant at = authenticatedAt(req);
        return at == null || clock.instant().isAfter(at.plusSeconds(maxAge));
    }
}
