package dev.oauthlet.wartest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The blocks of docs/configuration.md, "A data source from the container (JNDI)", that the JNDI tests deploy as copied. */
final class ConfigurationDoc {

    private ConfigurationDoc() {
    }

    /** Tomcat's {@code META-INF/context.xml}. */
    static String tomcatContextXml() throws IOException {
        return block("```xml\n(<Context>.*?</Context>\n)```", "a Tomcat context.xml");
    }

    /** Jetty's {@code webapps/app.xml}. */
    static String jettyContextXml() throws IOException {
        return block("```xml\n(<\\?xml version=\"1.0\"\\?>\n<!DOCTYPE Configure .*?</Configure>\n)```", "a Jetty webapps/app.xml");
    }

    /** The {@code <resource-ref>} for the WAR's web.xml. */
    static String resourceRef() throws IOException {
        return block("```xml\n(<resource-ref>.*?</resource-ref>\n)```", "a <resource-ref> for web.xml");
    }

    /** The modules of README's Jetty base plus those the JNDI section adds ({@code --add-modules=...} there). */
    static String jettyModules() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        Matcher base = Pattern.compile("start\\.jar --add-modules=([a-z0-9,-]+)\n").matcher(readme);
        if (!base.find()) {
            throw new AssertionError("README.md sets up no Jetty base");
        }
        return base.group(1) + "," + block("start\\.jar --add-modules=([a-z0-9,-]+)`", "the Jetty modules of a JNDI data source");
    }

    private static String block(String regex, String what) throws IOException {
        String doc = Files.readString(Path.of("../docs/configuration.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(doc);
        if (!m.find()) {
            throw new AssertionError("docs/configuration.md has no " + what);
        }
        return m.group(1);
    }
}
