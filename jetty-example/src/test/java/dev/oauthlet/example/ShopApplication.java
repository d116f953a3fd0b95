package dev.oauthlet.example;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.HostLogin;
import dev.oauthlet.authorize.SecondFactor;
import dev.oauthlet.servlet.OauthletServlets;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import dev.oauthlet.user.UserInfo;
import dev.oauthlet.user.UserInfoSource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An application with its own sign-in and a one-time password (TOTP, RFC 6238) that embeds
 * Oauthlet in Jetty and hands it both through a {@link HostLogin} and a {@link SecondFactor}:
 * its login page at {@code /shop/login}, its OTP page at {@code /shop/otp}, its users in a map.
 * README.md shows the wiring between the markers exactly.
 */
final class ShopApplication implements AutoCloseable {

    /**
     * The application's users and their passwords; Oauthlet's own users are not these. A consent is
     * remembered, so each test that needs the consent page signs in users no other test of its class uses.
     */
    static final Map<String, String> PASSWORDS = Map.of("dana", "dana-password", "erin", "erin-password", "fay", "fay-password",
            "gus", "gus-password", "mallory", "mallory-password", "hana", "hana-password", "ivan", "ivan-password");
    /** Each user's TOTP secret (RFC 6238's SHA-1 test secret for dana). */
    static final Map<String, byte[]> OTP_SECRETS = Map.of(
            "dana", "12345678901234567890".getBytes(StandardCharsets.US_ASCII),
            "erin", "erin-otp-secret-0123".getBytes(StandardCharsets.US_ASCII),
            "fay", "fay-otp-secret-01234".getBytes(StandardCharsets.US_ASCII),
            "gus", "gus-otp-secret-01234".getBytes(StandardCharsets.US_ASCII),
            "mallory", "mallory-otp-secret-0".getBytes(StandardCharsets.US_ASCII),
            "hana", "hana-otp-secret-0123".getBytes(StandardCharsets.US_ASCII),
            "ivan", "ivan-otp-secret-0123".getBytes(StandardCharsets.US_ASCII));
    /** The application's own record of its users' email addresses, which its {@link UserInfoSource} hands to the userinfo endpoint. */
    static final Map<String, String> EMAILS = Map.of("dana", "dana@shop.example", "hana", "hana@shop.example");

    final Server jetty;
    final Oauthlet oauthlet;
    final String url;

    private ShopApplication(Server jetty, Oauthlet oauthlet, String url) {
        this.jetty = jetty;
        this.oauthlet = oauthlet;
        this.url = url;
    }

    /** Its oauthlet.yml: the store in {@code dir}, one third-party client; Oauthlet's own user alice is never asked for. */
    static String config(Path dir) {
        return """
                storage:
                  url: jdbc:h2:file:%s
                signing:
                  algorithm: ES256
                audiences: [back-office]
                scopes:
                  orders:read: See your orders and their delivery status
                pages:
                  name: Acme
                clients:
                  - id: partner-app
                    name: Partner Dashboard
                    secret: partner-secret
                    grants: [authorization_code, refresh_token]
                    audience: back-office
                    scopes: [openid, email, orders:read, orders:write]
                    redirect-uris: [%s]
                users:
                  - username: alice
                    password: alice-password
                """.formatted(dir.resolve("data/oauthlet").toAbsolutePath(), AuthorizationEndpointHttpTest.CALLBACK);
    }

    /** Starts the application on a free loopback port with the configuration file {@code configFile} (no issuer in it). */
    static ShopApplication start(Path configFile) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        connector.open();
        String issuer = "http://127.0.0.1:" + connector.getLocalPort();
        Oauthlet oauthlet = wire(configFile, issuer);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(servlet, path).setAsyncSupported(true));
        context.addServlet(new ServletHolder(new LoginPage()), "/shop/login");
        context.addServlet(new ServletHolder(new OtpPage(Clock.systemUTC())), "/shop/otp");
        jetty.setHandler(context);
        jetty.start();
        return new ShopApplication(jetty, oauthlet, issuer);
    }

    private static Oauthlet wire(Path configFile, String issuer) {
        // README-BEGIN host-login
        // The application's session says who is signed in; Oauthlet asks before every page and every code.
        HostLogin hostLogin = context -> {
            HttpSession session = context.unwrap(HttpServletRequest.class).orElseThrow().getSession(false);
            if (context.switchAccount() && session != null) {
                session.invalidate();                     // "Not you?": signed out here, so the next login decides
                session = null;
            }
            String user = session == null ? null : (String) session.getAttribute("user");
            if (user == null) {
                // Not yet: the application's login page sends the browser back to returnTo() afterwards.
                return HostLogin.sendTo("/shop/login?return=" + URLEncoder.encode(context.returnTo(), StandardCharsets.UTF_8));
            }
            if (user.equals("mallory")) {
                return HostLogin.denied("mallory may not use other applications");
            }
            // A password sign-in: the ID token says amr ["pwd"] (RFC 8176).
            return HostLogin.signedIn(new AuthenticatedUser(user, Map.of()), SignInContext.password());
        };
        // A one-time password before consent; the application's OTP page records the pass in its session.
        SecondFactor otp = (user, context) -> {
            HttpSession session = context.unwrap(HttpServletRequest.class).orElseThrow().getSession(false);
            if (session != null && user.subject().equals(session.getAttribute("otp-passed"))) {
                return SecondFactor.passed(SignInContext.methods("otp"));     // amr ["pwd", "otp", "mfa"], acr "2"
            }
            return SecondFactor.sendTo("/shop/otp?return=" + URLEncoder.encode(context.returnTo(), StandardCharsets.UTF_8));
        };
        // The userinfo endpoint's claims for the application's users, whom Oauthlet's store does not hold.
        UserInfoSource profiles = subject -> Optional.ofNullable(EMAILS.get(subject))
                .map(email -> new UserInfo(Map.of("email", email, "email_verified", true)));
        Oauthlet oauthlet = Oauthlet.builder().configFile(configFile).issuer(issuer).hostLogin(hostLogin).secondFactor(otp)
                .userInfoSource(profiles).build();
        // README-END host-login
        return oauthlet;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        oauthlet.close();
    }

    /** Where to go back to: only the authorization endpoint, so the login page is no open redirect. */
    static String returnTo(HttpServletRequest req) {
        String r = req.getParameter("return");
        return r != null && r.startsWith("/oauth/authorize?") ? r : "/";
    }

    /** The application's login: a form, checked against {@link #PASSWORDS}; a new session for each sign-in. */
    static final class LoginPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html;charset=UTF-8");
            resp.getWriter().write("<!doctype html><title>Shop sign-in</title><h1>Shop sign-in</h1><form method=post>"
                    + "<input name=user><input name=password type=password><button>Sign in to the shop</button></form>");
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String user = req.getParameter("user");
            String expected = user == null ? null : PASSWORDS.get(user);
            String given = req.getParameter("password");
            if (expected == null || given == null
                    || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
                resp.sendError(401);
                return;
            }
            HttpSession old = req.getSession(false);
            if (old != null) {
                old.invalidate();
            }
            req.getSession(true).setAttribute("user", user);
            resp.setStatus(303);
            resp.setHeader("Location", returnTo(req));
        }
    }

    /** The application's one-time password page: RFC 6238 TOTP, 30-second steps, one step of drift either way. */
    static final class OtpPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Clock clock;

        OtpPage(Clock clock) {
            this.clock = clock;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html;charset=UTF-8");
            resp.getWriter().write("<!doctype html><title>One-time password</title><form method=post><input name=code>"
                    + "<button>Verify</button></form>");
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(false);
            String user = session == null ? null : (String) session.getAttribute("user");
            String code = req.getParameter("code");
            if (user == null || code == null || !verify(OTP_SECRETS.get(user), code, clock.millis() / 1000)) {
                resp.sendError(401);
                return;
            }
            session.setAttribute("otp-passed", user);
            resp.setStatus(303);
            resp.setHeader("Location", returnTo(req));
        }

        static boolean verify(byte[] secret, String code, long epochSeconds) {
            long step = epochSeconds / 30;
            boolean ok = false;
            for (long s = step - 1; s <= step + 1; s++) {
                ok |= MessageDigest.isEqual(totp(secret, s, 6).getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII));
            }
            return ok;
        }
    }

    /** RFC 6238 TOTP (HMAC-SHA1) for the time step {@code step}, {@code digits} long. */
    static String totp(byte[] secret, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            String s = Integer.toString(binary % (int) Math.pow(10, digits));
            return "0".repeat(digits - s.length()) + s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
