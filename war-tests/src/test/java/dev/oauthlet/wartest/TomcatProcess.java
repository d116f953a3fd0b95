package dev.oauthlet.wartest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Tomcat 11 from its distribution zip: {@code catalina.home} is the unpacked distribution, a fresh
 * {@code catalina.base} holds this test's server.xml (one loopback connector, no shutdown port,
 * auto-deploy checked every second), a console-only logging.properties and the webapps directory.
 */
final class TomcatProcess extends ContainerProcess {

    private final Path home;
    /** More JVM options for the container, e.g. a class-loading log. */
    final List<String> jvmOptions = new java.util.ArrayList<>();

    TomcatProcess(Path base, Map<String, String> environment) throws IOException {
        super(base, environment);
        this.home = Path.of(System.getProperty("oauthlet.containers"), "apache-tomcat-" + System.getProperty("oauthlet.tomcat.version"));
        for (String dir : new String[] {"conf", "logs", "temp", "webapps", "work", "lib"}) {
            Files.createDirectories(base.resolve(dir));
        }
        Files.copy(home.resolve("conf/web.xml"), base.resolve("conf/web.xml"));
        Files.copy(home.resolve("conf/catalina.properties"), base.resolve("conf/catalina.properties"));
        Files.writeString(base.resolve("conf/server.xml"), """
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener"/>
                  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener"/>
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1"/>
                    <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port));
        Files.writeString(base.resolve("conf/logging.properties"), """
                handlers = java.util.logging.ConsoleHandler
                .handlers = java.util.logging.ConsoleHandler
                .level = INFO
                java.util.logging.ConsoleHandler.level = ALL
                java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
                java.util.logging.ConsoleHandler.encoding = UTF-8
                """);
    }

    /** A context.xml for the application, e.g. with a JNDI data source. */
    void contextXml(String xml) throws IOException {
        Path dir = Files.createDirectories(base.resolve("conf/Catalina/localhost"));
        Files.writeString(dir.resolve("app.xml"), xml);
    }

    @Override
    List<String> command() {
        // The --add-opens catalina.sh passes, without which Tomcat cannot look for leaks and warns instead.
        List<String> c = new java.util.ArrayList<>(List.of(java(), "-Xmx256m", "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Dcatalina.home=" + home, "-Dcatalina.base=" + base,
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Djava.io.tmpdir=" + base.resolve("temp")));
        c.addAll(jvmOptions);
        c.addAll(List.of("-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        return c;
    }

    @Override
    Path war() {
        return base.resolve("webapps/app.war");
    }

    /** Where a WAR for context path {@code /name} goes ({@code ROOT} for the root context). */
    Path war(String name) {
        return base.resolve("webapps").resolve(name + ".war");
    }

    /** The host root, where the root context answers. */
    String root() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    String name() {
        return "Tomcat";
    }
}
