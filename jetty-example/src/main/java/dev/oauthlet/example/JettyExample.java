package dev.oauthlet.example;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.BaseDirectory;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.cli.AdminEndpoint;
import dev.oauthlet.example.cli.AdminHandle;
import dev.oauthlet.example.cli.AdminLauncher;
import dev.oauthlet.example.cli.Cli;
import dev.oauthlet.metrics.micrometer.MicrometerMetrics;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import dev.oauthlet.spi.StorageException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oauthlet embedded in Jetty 12: the token endpoint(s), metadata and JWKS, plus two demo
 * resources, {@code /api/back-office/me} and {@code /api/storefront/me}, each behind a
 * {@link BearerTokenFilter} for its audience.
 */
public final class JettyExample {

    /** The demo configuration bundled in the jar. */
    public static final String DEMO_CONFIG = "oauthlet-demo.yml";
    /** The demo's {@code backoffice-app} secret: generated (256 random bits), as {@code clients add} makes them. */
    static final String DEMO_BACKOFFICE_SECRET = "E8CXQyO8QsxKKUjQReJAmCm7QiGhAMoyzdP3RwvD580";
    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final Logger LOG = LoggerFactory.getLogger(JettyExample.class);

    private JettyExample() {
    }

    /**
     * What the example's Jetty accepts from the network, against clients that hold connections
     * open (slow bodies, slow headers) or send oversized requests.
     *
     * @param connectionsPerAddress open connections one remote address may hold; more are closed at once
     * @param idleTimeout           how long a connection may stay silent, in milliseconds
     * @param requestHeaderSize     the largest request line plus headers, in bytes (more: 431)
     */
    public record ServerLimits(int connectionsPerAddress, long idleTimeout, int requestHeaderSize) {
        /** 64 connections per address, 20 s of silence, 8 KiB of headers. */
        public static final ServerLimits DEFAULT = new ServerLimits(64, 20_000, 8 * 1024);
    }

    /**
     * A started server. Closing it stops gracefully: the port stops accepting connections, requests
     * in flight finish within {@code server.stop-timeout}, then the store is closed; one line is logged.
     */
    public record Running(Server jetty, Oauthlet oauthlet, int port) implements AutoCloseable {

        /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() throws Exception {
            long started = System.nanoTime();
            DrainHandler drain = jetty.getDescendant(DrainHandler.class);
            int inFlight = drain == null ? 0 : drain.inFlight();
            boolean timedOut = false;
            try {
                jetty.stop();
            } catch (TimeoutException e) {
                // Jetty stopped anyway; the requests still running were cut, and the log says how many.
                timedOut = true;
            } finally {
                oauthlet.close();
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (timedOut) {
                LOG.warn("Oauthlet stopped in {} ms: server.stop-timeout ({}) passed with {} of {} requests in flight unanswered; store closed",
                        millis, oauthlet.config().server().stopTimeout(), drain.inFlight(), inFlight);
            } else {
                LOG.info("Oauthlet stopped in {} ms: {} requests in flight finished, store closed", millis, inFlight);
            }
        }
    }

    /**
     * Starts Oauthlet on {@code host:port} ({@code 0} picks a free port). The issuer is the
     * configuration's, or {@code http://HOST:PORT} of the bound address.
     */
    public static Running createServer(OauthletConfig config, String host, int port) throws Exception {
        return createServer(new ExampleConfig(config, ExampleConfig.DEFAULT_RESOURCES), host, port);
    }

    /**
     * Starts Oauthlet on {@code host:port} ({@code 0} picks a free port) with the demo resources
     * the example configuration names.
     */
    public static Running createServer(ExampleConfig example, String host, int port) throws Exception {
        return createServer(example, host, port, ServerLimits.DEFAULT);
    }

    /** {@link #createServer(ExampleConfig, String, int)} with other network limits. */
    public static Running createServer(ExampleConfig example, String host, int port, ServerLimits limits) throws Exception {
        OauthletConfig config = example.oauthlet();
        Server jetty = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // A version in every answer only tells attackers which advisories to try.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.requestHeaderSize());
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setIdleTimeout(limits.idleTimeout());
        connector.addEventListener(new ConnectionsPerAddress(limits.connectionsPerAddress()));
        jetty.setErrorHandler(new JsonErrorHandler());
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        connector.open();
        int bound = connector.getLocalPort();
        String issuer = config.issuer() != null ? config.issuer() : "http://" + displayHost(host) + ":" + bound;
        Oauthlet oauthlet;
        // metrics: {enabled: true} — Oauthlet's meters in a Prometheus registry, served at endpoints.metrics.
        PrometheusMeterRegistry registry = config.metrics().enabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        try {
            // A command-line program: its data lives where it is run from, unless oauthlet.home says otherwise.
            OauthletBuilder builder = Oauthlet.builder().config(config).issuer(issuer).baseDirectory(BaseDirectory.of(Path.of("")));
            if (registry != null) {
                builder.metrics(MicrometerMetrics.of(registry));
            }
            oauthlet = builder.build();
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
        try {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            context.setContextPath("/");
            OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> {
                ServletHolder holder = new ServletHolder(servlet);
                // Request bodies are read without holding a thread, within a deadline (slow-body clients).
                holder.setAsyncSupported(true);
                context.addServlet(holder, path);
            });
            if (registry != null) {
                context.addServlet(new ServletHolder(new MetricsServlet(registry, config.metrics())), config.endpoints().metrics());
            }
            context.addServlet(new ServletHolder(new NotFoundServlet()), "/");
            for (ExampleConfig.DemoResource r : example.resources()) {
                protect(context, oauthlet, r);
            }
            jetty.setHandler(new DrainHandler(context));
            // With a stop timeout, Jetty's stop is graceful: the connector stops accepting, DrainHandler waits.
            jetty.setStopTimeout(config.server().stopTimeout().toMillis());
            // The command line reaches a server that holds an H2 file open through this; other stores it opens itself.
            AdminHandle.fileFor(config.storage().url()).ifPresent(file -> jetty.addBean(new AdminEndpoint(oauthlet, file)));
            jetty.start();
            return new Running(jetty, oauthlet, bound);
        } catch (Exception | Error e) {
            jetty.stop();
            oauthlet.close();
            throw e;
        }
    }

    /** {@link #createServer(OauthletConfig, String, int)} on the loopback address. */
    public static Running createServer(OauthletConfig config, int port) throws Exception {
        return createServer(config, "127.0.0.1", port);
    }

    private static void protect(ServletContextHandler context, Oauthlet oauthlet, ExampleConfig.DemoResource resource) {
        java.util.Map<String, String> params = new java.util.HashMap<>(resource.filter());
        if (resource.audience() != null) {
            params.put("audience", resource.audience());
        }
        if (resource.resource() != null) {
            params.put("resource", resource.resource());
        }
        BearerTokenFilter filter;
        try {
            filter = new BearerTokenFilter(oauthlet, params);
        } catch (IllegalArgumentException e) {
            // A misspelt init-param in the YAML is the operator's to fix: a message, not a stack trace.
            throw new ConfigException("example.resources (path " + resource.path() + ").filter: " + e.getMessage());
        }
        FilterHolder holder = new FilterHolder(filter);
        context.addFilter(holder, resource.path(), EnumSet.of(DispatcherType.REQUEST));
        if (resource.resource() != null) {
            // The filter answers its RFC 9728 document itself; this context is the root, so it is at the well-known location.
            context.addFilter(holder, BearerTokenFilter.metadataPath(resource.resource()), EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new MeServlet()), resource.path());
    }

    private static String displayHost(String host) {
        return host.equals("0.0.0.0") || host.isEmpty() ? "127.0.0.1" : host;
    }

    /** Reads the bundled demo configuration. */
    public static OauthletConfig demoConfig() {
        return demoExampleConfig().oauthlet();
    }

    /** Reads the bundled demo configuration, with its demo resources. */
    public static ExampleConfig demoExampleConfig() {
        try (InputStream in = JettyExample.class.getClassLoader().getResourceAsStream(DEMO_CONFIG)) {
            if (in == null) {
                throw new IllegalStateException(DEMO_CONFIG + " is missing from the jar");
            }
            return ExampleConfig.read(DEMO_CONFIG, in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        // Jetty's queues pad their fields to a cache line, and unless told how many references fill one
        // they ask the platform MBean server whether oops are compressed: starting JMX costs ~30 ms of
        // CPU at start (async-profiler). 16 is right for compressed oops (heaps under 32 GiB, the
        // README's -Xmx64m); with wide oops it pads twice as much, which is harmless.
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
        if (java.util.Arrays.stream(args).anyMatch(java.util.Set.of("clients", "users", "keys", "tokens")::contains)) {
            // An administration command prints its result; of the log it keeps warnings and the audit trail.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.dev.oauthlet.audit", "info");
        }
        Launch launch = launch(args, System.out, System.err);
        if (launch.running() == null) {
            System.exit(launch.exitCode());
        }
        Running running = launch.running();
        // SIGTERM (or Ctrl-C) runs this hook: the graceful stop of Running.close().
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("stopping failed: {}", e.toString());
            }
        }, "oauthlet-shutdown"));
        running.jetty().join();
    }

    /** What the command line led to: a running server, or an exit code. */
    record Launch(int exitCode, Running running) {
        static Launch exit(int code) {
            return new Launch(code, null);
        }
    }

    /** Parses the command line and starts the server; prints the welcome text once it serves. */
    static Launch launch(String[] args, PrintStream out, PrintStream err) throws Exception {
        return launch(args, System.in, out, err);
    }

    /**
     * Parses the command line ({@link Cli}: picocli unless it only serves) and does what it says: serve (no subcommand,
     * or {@code serve}), hash a secret, or run an administration command; {@code in} is where
     * {@code --hash-secret} and the password commands read from when it is not a terminal.
     */
    static Launch launch(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        Cli.ServeOptions serve = Cli.serveOnly(args).orElse(null);
        if (serve == null) {
            Cli.Parsed parsed = Cli.parse(args, o, e);
            if (parsed.exitNow() != null) {
                o.flush();
                return Launch.exit(parsed.exitNow());
            }
            if (parsed.cli().hashSecret()) {
                byte[] secret = in.readAllBytes();
                o.println(new SecretHasher().hash(new String(secret, StandardCharsets.UTF_8).strip()));
                o.flush();
                return Launch.exit(0);
            }
            if (parsed.isAdmin()) {
                return Launch.exit(AdminLauncher.run(parsed, args, in, o, e,
                        file -> file == null ? demoConfig() : ExampleConfig.read(file).oauthlet()));
            }
            serve = parsed.serveOptions();
        }
        Path configFile = serve.config;
        String host = serve.host;
        int port = serve.port;
        ExampleConfig config;
        try {
            config = configFile == null ? demoExampleConfig() : ExampleConfig.read(configFile);
        } catch (ConfigException ex) {
            err.println(ex.getMessage());
            return Launch.exit(2);
        }
        Running running;
        try {
            running = createServer(config, host, port);
        } catch (ConfigException ex) {
            err.println(ex.getMessage());
            return Launch.exit(2);
        } catch (IOException ex) {
            err.println("cannot listen on " + host + ":" + port + ": " + ex.getMessage());
            return Launch.exit(1);
        } catch (StorageException ex) {
            // The message names the store, what failed and what to do, without the URL's credentials.
            err.println(ex.getMessage());
            return Launch.exit(1);
        }
        printWelcome(out, running, configFile == null);
        return new Launch(0, running);
    }

    private static void printWelcome(PrintStream out, Running running, boolean demo) {
        String url = "http://" + displayHost(running.jetty().getURI().getHost()) + ":" + running.port();
        String tokenPath = running.oauthlet().config().endpoints().token().get(0).path();
        out.println("Oauthlet is running at " + url);
        out.println("  metadata: " + url + running.oauthlet().config().endpoints().metadata());
        if (demo) {
            out.println("Get a back-office token:");
            out.println("  curl -s -u backoffice-app:" + DEMO_BACKOFFICE_SECRET + " -d grant_type=client_credentials " + url + tokenPath);
            out.println("Then call the back-office API with it:");
            out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + url + "/api/back-office/me");
        } else {
            out.println("Get a token:");
            out.println("  curl -s -u CLIENT_ID:SECRET -d grant_type=client_credentials " + url + tokenPath);
        }
        out.println("listening on " + url);
        out.flush();
    }

}
