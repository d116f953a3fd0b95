package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same test WAR, same web.xml, in embedded Tomcat 11. */
class TomcatWebAppTest extends ContainerWebAppContract {

    private static Tomcat tomcat;
    private static Context context;
    private static String url;

    @BeforeAll
    static void deploy() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        // Only the application's own web.xml: no default servlet, no JSP.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        context = tomcat.addWebapp(CONTEXT, WEBAPP.toAbsolutePath().toString());
        // The classes come from the test class path; scanning every jar on it for TLDs is wasted time.
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        // Binding happens at init, so the port, and with it the issuer, is known before the application starts.
        tomcat.init();
        url = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + CONTEXT;
        context.addParameter(OauthletContextListener.ISSUER_PARAM, url);
        tomcat.start();
        if (!context.getState().isAvailable()) {
            throw new IllegalStateException("the test WAR did not start in Tomcat: " + context.getState());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Override
    String appUrl() {
        return url;
    }

    @Override
    Oauthlet oauthlet() {
        return (Oauthlet) context.getServletContext().getAttribute(Oauthlet.class.getName());
    }
}
