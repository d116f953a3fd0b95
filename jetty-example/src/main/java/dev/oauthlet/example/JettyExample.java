package dev.oauthlet.example;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import dev.oauthlet.spi.StorageException;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
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
        try {
            oauthlet = Oauthlet.builder().config(config).issuer(issuer).build();
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
            context.addServlet(new ServletHolder(new NotFoundServlet()), "/");
            for (ExampleConfig.DemoResource r : example.resources()) {
                protect(context, oauthlet, r);
            }
            jetty.setHandler(new DrainHandler(context));
            // With a stop timeout, Jetty's stop is graceful: the connector stops accepting, DrainHandler waits.
            jetty.setStopTimeout(config.server().stopTimeout().toMillis());
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
        Path configFile = null;
        int port = 8080;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    out.print(usage());
                    return Launch.exit(0);
                }
                case "--hash-secret" -> {
                    byte[] secret = System.in.readAllBytes();
                    out.println(new SecretHasher().hash(new String(secret, StandardCharsets.UTF_8).strip()));
                    return Launch.exit(0);
                }
                case "--config", "--port", "--host" -> {
                    if (i + 1 >= args.length) {
                        err.println(a + " needs a value\n\n" + usage());
                        return Launch.exit(2);
                    }
                    String v = args[++i];
                    if (a.equals("--config")) {
                        configFile = Path.of(v);
                    } else if (a.equals("--host")) {
                        host = v;
                    } else {
                        try {
                            port = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            port = -1;
                        }
                        if (port < 0 || port > 65535) {
                            err.println("--port: '" + v + "' is not a port number (0 to 65535; 0 picks a free one)");
                            return Launch.exit(2);
                        }
                    }
                }
                default -> {
                    err.println("unknown argument '" + a + "'\n\n" + usage());
                    return Launch.exit(2);
                }
            }
        }
        ExampleConfig config;
        try {
            config = configFile == null ? demoExampleConfig() : ExampleConfig.read(configFile);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Launch.exit(2);
        }
        Running running;
        try {
            running = createServer(config, host, port);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Launch.exit(2);
        } catch (IOException e) {
            err.println("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return Launch.exit(1);
        } catch (StorageException e) {
            err.println("cannot open storage " + config.oauthlet().storage().url() + ": " + e.getMessage());
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
            out.println("  curl -s -u backoffice-app:backoffice-secret -d grant_type=client_credentials " + url + tokenPath);
            out.println("Then call the back-office API with it:");
            out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + url + "/api/back-office/me");
        } else {
            out.println("Get a token:");
            out.println("  curl -s -u CLIENT_ID:SECRET -d grant_type=client_credentials " + url + tokenPath);
        }
        out.println("listening on " + url);
        out.flush();
    }

    static String usage() {
        return """
                Usage: java -jar jetty-example.jar [--config FILE] [--port N] [--host ADDRESS]
                  --config FILE    an oauthlet.yml (default: the bundled demo configuration)
                  --port N         the port to listen on (default 8080; 0 picks a free port)
                  --host ADDRESS   the address to bind (default 127.0.0.1)
                  --hash-secret    read a secret on standard input, print its hash for secret-hash / password-hash
                  --help           this text
                """;
    }
}
