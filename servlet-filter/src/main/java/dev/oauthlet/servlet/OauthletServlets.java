package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.EndpointsConfig;
import dev.oauthlet.grant.AuthorizationCodeGrant;
import dev.oauthlet.config.TokenEndpointConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers Oauthlet's servlets in a servlet context: every configured token path, the REST-style
 * refresh path if configured, revocation, introspection, the authorization endpoint (with its
 * login and consent pages) and the logout endpoint, the metadata, the JWKS, the health check, and
 * dynamic client registration when {@code registration:} is configured.
 */
public final class OauthletServlets {

    private OauthletServlets() {
    }

    /**
     * Adds the servlets to {@code ctx}, and publishes {@code server} in it, where a
     * {@link BearerTokenFilter} declared in web.xml finds it. Call while the context is being
     * initialised (a {@code ServletContextListener} or {@code ServletContainerInitializer}).
     */
    public static void install(ServletContext ctx, Oauthlet server) {
        ctx.setAttribute(OauthletLocator.ATTRIBUTE, server);
        servlets(server).forEach((path, servlet) -> {
            ServletRegistration.Dynamic registration = ctx.addServlet("oauthlet" + path, servlet);
            registration.addMapping(path);
            // Bodies are read without holding a thread (a slow client cannot exhaust the pool).
            registration.setAsyncSupported(true);
        });
        for (FilterRegistration filter : ctx.getFilterRegistrations().values()) {
            if (BearerTokenFilter.class.getName().equals(filter.getClassName()) && filter.getInitParameter("resource") != null) {
                publishMetadata(ctx, server, filter);
            }
        }
    }

    /**
     * Registers the RFC 9728 document of a {@link BearerTokenFilter} declared in web.xml at its
     * path, unless something is mapped there already: a request for it then reaches a servlet, in
     * every container, whether or not the filter is mapped there too.
     */
    private static void publishMetadata(ServletContext ctx, Oauthlet server, FilterRegistration filter) {
        FilterSettings settings;
        try {
            settings = FilterSettings.parse(filter::getInitParameter);
        } catch (IllegalArgumentException e) {
            // The filter's own init() reports the mistake and stops the application.
            return;
        }
        String path = BearerTokenFilter.metadataPath(settings.resource());
        var servlet = new ProtectedResourceMetadataServlet(ProtectedResourceMetadataServlet.document(settings,
                settings.remote() ? null : server), settings.remote() ? dev.oauthlet.config.CorsConfig.none() : server.config().cors());
        ServletRegistration.Dynamic added = ctx.addServlet("oauthlet-resource-metadata" + path, servlet);
        if (added != null) {
            added.addMapping(path);
        }
    }

    /**
     * Every servlet by the path (servlet mapping) it serves, for containers wired in code (e.g. Jetty's
     * {@code ServletContextHandler.addServlet(new ServletHolder(servlet), path)}).
     */
    public static Map<String, HttpServlet> servlets(Oauthlet server) {
        EndpointsConfig endpoints = server.config().endpoints();
        Map<String, HttpServlet> m = new LinkedHashMap<>();
        for (TokenEndpointConfig t : endpoints.token()) {
            m.put(t.path(), new TokenEndpointServlet(server, t));
        }
        if (server.grantTypes().contains(AuthorizationCodeGrant.TYPE)) {
            m.put(endpoints.authorize(), new AuthorizationServlet(server));
            m.put(endpoints.endSession(), new EndSessionServlet(server));
        }
        if (endpoints.refresh() != null) {
            m.put(endpoints.refresh(), new RefreshEndpointServlet(server));
        }
        if (endpoints.revocation() != null) {
            m.put(endpoints.revocation(), new RevocationServlet(server));
        }
        if (endpoints.introspection() != null) {
            m.put(endpoints.introspection(), new IntrospectionServlet(server));
        }
        m.put(endpoints.jwks(), new JwksServlet(server));
        m.put(endpoints.health(), new HealthServlet(server));
        if (server.registration().isPresent()) {
            // One mapping for the endpoint and each client's registration URI under it: "/p/*" matches "/p" too.
            m.put(endpoints.registration() + "/*", new RegistrationServlet(server));
        }
        m.put(endpoints.metadata(), new MetadataServlet(server, endpointUrls(server)));
        return m;
    }

    /** The endpoint members of the metadata, as absolute URLs under the issuer. */
    public static Map<String, Object> endpointUrls(Oauthlet server) {
        EndpointsConfig endpoints = server.config().endpoints();
        Map<String, Object> m = new LinkedHashMap<>();
        if (server.grantTypes().contains(AuthorizationCodeGrant.TYPE)) {
            m.put("authorization_endpoint", server.issuer() + endpoints.authorize());
        }
        m.put("token_endpoint", server.issuer() + endpoints.token().get(0).path());
        m.put("jwks_uri", server.issuer() + endpoints.jwks());
        if (endpoints.revocation() != null) {
            m.put("revocation_endpoint", server.issuer() + endpoints.revocation());
        }
        if (endpoints.introspection() != null) {
            m.put("introspection_endpoint", server.issuer() + endpoints.introspection());
        }
        if (server.registration().isPresent()) {
            m.put("registration_endpoint", server.issuer() + endpoints.registration());
        }
        return m;
    }
}
