package dev.oauthlet.benchmarks;

import dev.oauthlet.servlet.OauthletContextListener;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The web.xml deployment of {@code benchmarks/run.sh}: embedded Tomcat 11 on loopback deploys a
 * web application whose {@code WEB-INF/web.xml} (this jar's {@code tomcat-webapp/}) declares
 * Oauthlet's {@link OauthletContextListener} and a {@code BearerTokenFilter}, the drop-in way, with
 * the configuration {@link Fixtures} uses on an H2 file store under {@code ./data}. Serves the
 * endpoints at {@code /app/oauth/...}, and {@code /app/open} and {@code /app/protected} like
 * {@link ResourceApp}. Usage: {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.TomcatApp PORT}.
 */
public final class TomcatApp {

    static final String CONTEXT = "/app";

    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path webapp = Files.createDirectories(Path.of("webapp/WEB-INF"));
        try (InputStream in = TomcatApp.class.getResourceAsStream("/tomcat-webapp/WEB-INF/web.xml")) {
            Files.write(webapp.resolve("web.xml"), in.readAllBytes());
        }
        Files.writeString(Path.of("oauthlet.yml"), Fixtures.yaml("jdbc:h2:file:./data/oauthlet"), StandardCharsets.UTF_8);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(Path.of("tomcat")).toAbsolutePath().toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp(CONTEXT, Path.of("webapp").toAbsolutePath().toString());
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        context.addParameter(OauthletContextListener.ISSUER_PARAM, "http://127.0.0.1:" + port + CONTEXT);
        tomcat.start();
        if (!context.getState().isAvailable()) {
            throw new IllegalStateException("the web application did not start: " + context.getState());
        }
        System.out.println("listening on http://127.0.0.1:" + port + CONTEXT);
        tomcat.getServer().await();
    }
}
