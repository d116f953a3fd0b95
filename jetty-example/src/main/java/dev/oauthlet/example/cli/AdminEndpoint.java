package dev.oauthlet.example.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.crypto.SecretHasher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The running server's end of the command line: its own Jetty on 127.0.0.1 and a free port,
 * never on the address the server itself binds, serving {@code POST /admin} to callers with the
 * bearer token of the {@link AdminHandle} it writes next to the H2 database. A request carries the
 * command line's arguments (and the password it read); the server parses and runs them exactly as
 * the command line would, against its own store, and answers the exit status and output. Started
 * and stopped with the server it belongs to (a Jetty bean).
 */
public final class AdminEndpoint extends AbstractLifeCycle {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final Oauthlet oauthlet;
    private final Path handleFile;
    private final String token = SecretHasher.generateSecret();
    private Server jetty;
    private AdminHandle handle;

    public AdminEndpoint(Oauthlet oauthlet, Path handleFile) {
        this.oauthlet = oauthlet;
        this.handleFile = handleFile;
    }

    @Override
    protected void doStart() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new AdminServlet()), "/admin");
        jetty.setHandler(context);
        jetty.start();
        handle = new AdminHandle("http://127.0.0.1:" + connector.getLocalPort() + "/admin", token);
        handle.write(handleFile);
    }

    @Override
    protected void doStop() throws Exception {
        if (handle != null) {
            handle.deleteIfOurs(handleFile);
        }
        if (jetty != null) {
            jetty.stop();
        }
    }

    public Path handleFile() {
        return handleFile;
    }

    private final class AdminServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (!"POST".equals(req.getMethod())) {
                resp.setHeader("Allow", "POST");
                resp.sendError(405);
                return;
            }
            String auth = req.getHeader("Authorization");
            byte[] presented = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8))) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"oauthlet-admin\"");
                resp.sendError(401);
                return;
            }
            JsonNode body;
            try (InputStream in = req.getInputStream()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    resp.sendError(413);
                    return;
                }
                body = JSON.readTree(bytes);
            } catch (IOException e) {
                resp.sendError(400);
                return;
            }
            JsonNode argsNode = body == null ? null : body.get("args");
            if (argsNode == null || !argsNode.isArray()) {
                resp.sendError(400);
                return;
            }
            List<String> args = new ArrayList<>();
            argsNode.forEach(a -> args.add(a.asText()));
            JsonNode passwordNode = body.get("password");
            String password = passwordNode == null || passwordNode.isNull() ? null : passwordNode.asText();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = run(args.toArray(String[]::new), password, new PrintWriter(out), new PrintWriter(err));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("exit", exit);
            answer.put("out", out.toString());
            answer.put("err", err.toString());
            resp.setStatus(200);
            resp.setContentType("application/json");
            resp.setHeader("Cache-Control", "no-store");
            resp.getOutputStream().write(JSON.writeValueAsBytes(answer));
        }
    }

    private int run(String[] args, String password, PrintWriter out, PrintWriter err) {
        Cli.Parsed parsed = Cli.parse(args, out, err);
        if (parsed.exitNow() != null) {
            out.flush();
            return parsed.exitNow();
        }
        if (!parsed.isAdmin()) {
            err.println("only administration commands (clients, users, keys, tokens) go to a running server");
            err.flush();
            return Cli.USAGE;
        }
        return Cli.runAdmin(parsed, oauthlet.administration(Actor.CLI), password, out, err);
    }
}
