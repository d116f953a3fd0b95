package dev.oauthlet.servlet;

import dev.oauthlet.authorize.HostContext;
import dev.oauthlet.authorize.HostLogin;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Map;

/**
 * {@code authorization.host-login: container}: the servlet container's own authentication signs
 * the user in. The application protects the authorization endpoint's path with a
 * {@code <security-constraint>} and a {@code <login-config>} (FORM, or an SSO valve or filter), so
 * the container shows its login before Oauthlet sees the request; Oauthlet then takes
 * {@link HttpServletRequest#getUserPrincipal()} — the container's verdict, never a header — and its
 * name becomes the user's {@code sub}, and a FORM, BASIC or DIGEST login the ID token's
 * {@code amr: ["pwd"]}. "Not you?" signs the user out of the container
 * ({@link HttpServletRequest#logout()}, the HTTP session invalidated) and sends the browser back to
 * the request, where the container asks for a login again. A request the container let through
 * unauthenticated (the path is not protected) is answered {@code access_denied}, and the log says why.
 */
final class ContainerLogin implements HostLogin {

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
        if (user == null || user.getName() == null || user.getName().isEmpty()) {
            // Headers such as Remote-User are never read: only the container can say who signed in.
            return HostLogin.denied("authorization.host-login is 'container', but the container did not authenticate this request: "
                    + "protect " + req.getServletPath() + " with a <security-constraint> (and a <login-config>) in web.xml");
        }
        // FORM, BASIC and DIGEST logins check a password (RFC 8176 "pwd"); of other schemes nothing is claimed.
        String type = req.getAuthType();
        boolean password = HttpServletRequest.FORM_AUTH.equals(type) || HttpServletRequest.BASIC_AUTH.equals(type)
                || HttpServletRequest.DIGEST_AUTH.equals(type);
        return HostLogin.signedIn(new AuthenticatedUser(user.getName(), Map.of()), password ? SignInContext.password() : null);
    }
}
