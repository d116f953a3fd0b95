package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.BaseDirectory;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.Placeholders;
import dev.oauthlet.metrics.OauthletMetrics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds Oauthlet to an existing WAR through web.xml alone: builds the server from the file named by
 * the context-param {@value #CONFIG_PARAM} (a file path, or {@code classpath:name} for a resource of
 * the web application), registers its servlets (token endpoint(s), metadata, JWKS) and publishes it
 * in the servlet context, where every {@link BearerTokenFilter} of the application finds it. The
 * optional context-param {@value #ISSUER_PARAM} overrides the configuration's {@code issuer}. Both
 * may hold {@code ${NAME}} placeholders, as values in the file do. The server is closed with the context.
 *
 * <p>A resource server that only checks tokens of a remote authorization server needs no listener:
 * a {@link BearerTokenFilter} with an {@code issuer} init-param suffices.
 */
public final class OauthletContextListener implements ServletContextListener {

    /** The context-param naming the configuration file. */
    public static final String CONFIG_PARAM = "oauthlet.config";
    /** The context-param that overrides the configuration's issuer. */
    public static final String ISSUER_PARAM = "oauthlet.issuer";
    /**
     * The servlet-context attribute where the application puts the {@link OauthletMetrics} the server
     * records to, before this listener runs (an earlier listener in web.xml, or a
     * {@code ServletContainerInitializer}): e.g. {@code MicrometerMetrics.of(registry)}. Without it, nothing is recorded.
     * A {@link BearerTokenFilter} in remote mode records to it too.
     */
    public static final String METRICS_ATTRIBUTE = "dev.oauthlet.metrics";
    private static final String CLASSPATH = "classpath:";
    private static final Logger LOG = LoggerFactory.getLogger(OauthletContextListener.class);

    private Oauthlet server;
    private final InFlightRequests requests = new InFlightRequests();

    /**
     * The server this application runs, e.g. to rotate its signing key:
     * {@code OauthletContextListener.of(getServletContext()).rotateSigningKey()}.
     *
     * @throws IllegalStateException when no server was published in this context
     */
    public static Oauthlet of(ServletContext ctx) {
        return OauthletLocator.fromContext(ctx);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        reportMissingLogProvider(ctx);
        try {
            start(ctx);
        } catch (RuntimeException e) {
            // The container's own log gets the one line even when SLF4J has nowhere to write; the
            // exception fails the deployment. Config and store failures carry their fix in the message,
            // so they fail it without a stack trace; anything else keeps its trace, for the bug report.
            String line = "Oauthlet did not start: " + e.getMessage();
            ctx.log(line);
            LOG.error(line);
            if (e instanceof ConfigException || e instanceof dev.oauthlet.spi.StorageException) {
                throw new StartFailed(line);
            }
            throw e;
        }
    }

    /** A deployment that failed for a reason its message states in full: the container logs the line, no frames. */
    static final class StartFailed extends dev.oauthlet.error.OauthletException {

        private static final long serialVersionUID = 1L;

        StartFailed(String line) {
            super(line, null, false, false);
        }
    }

    private void start(ServletContext ctx) {
        String location = param(ctx, CONFIG_PARAM);
        if (location == null || location.isBlank()) {
            throw new ConfigException("context-param '" + CONFIG_PARAM + "' is missing: name the oauthlet.yml, as a file path or "
                    + "classpath:oauthlet.yml");
        }
        OauthletConfig config = read(ctx, location.strip());
        String issuer = param(ctx, ISSUER_PARAM);
        if (issuer == null && config.issuer() == null) {
            throw new ConfigException(location + ": issuer: missing (set issuer: in the file, or the context-param "
                    + ISSUER_PARAM + ", to the public URL of this application)");
        }
        Path base = BaseDirectory.of(location.startsWith(CLASSPATH) ? null : Path.of(location.strip()).toAbsolutePath().getParent());
        refuseExplodedWar(ctx, BaseDirectory.resolve(config, base));
        OauthletBuilder builder = Oauthlet.builder().config(config).issuer(issuer == null ? null : issuer.strip())
                .classLoader(ctx.getClassLoader());
        Object metrics = ctx.getAttribute(METRICS_ATTRIBUTE);
        if (metrics instanceof OauthletMetrics m) {
            builder.metrics(m);
        } else if (metrics != null) {
            throw new ConfigException("servlet-context attribute '" + METRICS_ATTRIBUTE + "' holds a " + metrics.getClass().getName()
                    + ", not a dev.oauthlet.metrics.OauthletMetrics (wrap a MeterRegistry with MicrometerMetrics.of(registry))");
        }
        server = (base == null ? builder : builder.baseDirectory(base)).build();
        OauthletServlets.install(ctx, server);
        // First in every chain, so a stop waits for the application's requests too, not only Oauthlet's.
        FilterRegistration.Dynamic inFlight = ctx.addFilter("oauthlet-in-flight", requests);
        inFlight.setAsyncSupported(true);
        inFlight.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        ctx.log(server.startLine());
        LOG.info("Oauthlet {} is serving in context '{}'", server.issuer(), ctx.getContextPath());
    }

    /** Data inside the exploded WAR is deleted with the next undeploy: a new signing key, every token invalid. */
    private static void refuseExplodedWar(ServletContext ctx, OauthletConfig resolved) {
        String root = ctx.getRealPath("/");
        String h2 = BaseDirectory.h2File(resolved.storage().url());
        if (root != null && h2 != null && Path.of(h2).toAbsolutePath().normalize().startsWith(Path.of(root).toAbsolutePath().normalize())) {
            throw new ConfigException("storage.url: the H2 file " + h2 + " is inside the deployed application (" + root
                    + "), which the container deletes on undeploy; set " + BaseDirectory.PROPERTY + " or " + BaseDirectory.VARIABLE
                    + " to a directory outside it, or write an absolute path");
        }
    }

    /** SLF4J without a provider drops every line: say so once, where the container's log will show it. */
    private static void reportMissingLogProvider(ServletContext ctx) {
        if (LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.NOPLoggerFactory) {
            ctx.log("Oauthlet: no SLF4J provider on this application's class path, so only Oauthlet's start line and start failures "
                    + "reach this log; add one to WEB-INF/lib for the rest (e.g. org.slf4j:slf4j-jdk14, which writes to the container's "
                    + "java.util.logging)");
        }
    }

    /** A context-param with its {@code ${NAME}} placeholders resolved, as in the file. */
    private static String param(ServletContext ctx, String name) {
        String v = ctx.getInitParameter(name);
        return v == null ? null : Placeholders.fromSystem().resolve(v, "context-param '" + name + "'");
    }

    private static OauthletConfig read(ServletContext ctx, String location) {
        if (!location.startsWith(CLASSPATH)) {
            // The loader build() searches too, so a grant in WEB-INF/lib is known when the file names it.
            return OauthletBuilder.readConfig(Path.of(location), Set.of(), ctx.getClassLoader());
        }
        String name = location.substring(CLASSPATH.length()).replaceFirst("^/", "");
        try (InputStream in = ctx.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException(location + ": no such resource on the web application's class path");
            }
            return OauthletBuilder.readConfig(name, in, Set.of(), ctx.getClassLoader());
        } catch (IOException e) {
            throw new ConfigException(location + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Stops: the container no longer dispatches new requests to this context; the ones still
     * running get up to {@code server.stop-timeout} to finish, then the store is closed. One line is
     * logged.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(OauthletLocator.ATTRIBUTE);
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        int inFlight = requests.count();
        int unanswered;
        try {
            unanswered = requests.awaitIdle(server.config().server().stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unanswered = requests.count();
        }
        server.close();
        awaitPoolThreads(event.getServletContext().getClassLoader());
        long millis = (System.nanoTime() - started) / 1_000_000;
        String line = unanswered > 0
                ? "Oauthlet stopped in " + millis + " ms: server.stop-timeout (" + server.config().server().stopTimeout() + ") passed with "
                        + unanswered + " of " + inFlight + " requests in flight unanswered; store closed"
                : "Oauthlet stopped in " + millis + " ms: " + inFlight + " requests in flight finished, store closed";
        // As the start line: in the container's log whether or not the application has an SLF4J provider.
        event.getServletContext().log(line);
        if (unanswered > 0) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
        server = null;
    }

    /**
     * HikariCP's close waits for its executors, but their threads may still be alive for a moment
     * after; a container that checks for leaked threads right after this method would report them.
     * Waits (at most a second in all) for the pool threads this application started: named after
     * the pool and created with this application's class loader.
     */
    private static void awaitPoolThreads(ClassLoader application) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("oauthlet") && t.getContextClassLoader() == application && t != Thread.currentThread()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
