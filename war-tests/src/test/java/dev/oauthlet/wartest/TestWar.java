package dev.oauthlet.wartest;

import dev.oauthlet.crypto.SecretHasher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The test application as a WAR: its web.xml, oauthlet.yml and servlets from the test classes, and in
 * WEB-INF/lib this build's own oauthlet-servlet-filter and oauthlet-core with their runtime
 * dependencies and the H2 driver (copied by maven-dependency-plugin from the reactor) — no SLF4J
 * provider. Other WARs (the remote-mode resource server, the root forwarder) are written the same way.
 */
final class TestWar {

    private static final Path APP = Path.of("target/test-classes/app");
    private static final Path CLASSES = Path.of("target/test-classes");
    private static final String SERVLETS = "dev/oauthlet/wartest/app";
    private static final String SERVLET = SERVLETS + "/WhoAmIServlet.class";

    private TestWar() {
    }

    /** Writes the WAR to {@code target} in one move, so a container's scanner never sees half a file. */
    static void write(Path target, boolean withLeaver) throws IOException {
        write(target, withLeaver, "");
    }

    /** The same, with {@code webXmlAdditions} (e.g. a {@code <resource-ref>}) at the end of its web.xml. */
    static void write(Path target, boolean withLeaver, String webXmlAdditions) throws IOException {
        String webXml = Files.readString(APP.resolve("WEB-INF/web.xml"), StandardCharsets.UTF_8)
                .replace("</web-app>", webXmlAdditions + "</web-app>");
        String yaml = Files.readString(APP.resolve("oauthlet.yml"), StandardCharsets.UTF_8);
        if (!withLeaver) {
            yaml = yaml.substring(0, yaml.indexOf("  # leaver:"));
        }
        Map<String, byte[]> entries = new java.util.HashMap<>(Map.of("WEB-INF/web.xml", webXml.getBytes(StandardCharsets.UTF_8),
                "WEB-INF/classes/oauthlet.yml", yaml.getBytes(StandardCharsets.UTF_8)));
        try (Stream<Path> servlets = Files.list(CLASSES.resolve(SERVLETS))) {
            for (Path servlet : servlets.sorted().toList()) {
                entries.put("WEB-INF/classes/" + SERVLETS + "/" + servlet.getFileName(), Files.readAllBytes(servlet));
            }
        }
        write(target, entries, libs());
    }

    /** A WAR of {@code entries} (name → content) and {@code jars} in WEB-INF/lib, written in one move. */
    static void write(Path target, Map<String, byte[]> entries, List<Path> jars) throws IOException {
        Path tmp = Files.createTempFile(target.getParent().getParent(), "app", ".war.tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
            for (Path jar : jars) {
                put(zip, "WEB-INF/lib/" + jar.getFileName(), Files.readAllBytes(jar));
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The test application's servlet class, for another WAR. */
    static Map.Entry<String, byte[]> servlet() throws IOException {
        return Map.entry("WEB-INF/classes/" + SERVLET, Files.readAllBytes(CLASSES.resolve(SERVLET)));
    }

    /**
     * What the WAR's oauthlet.yml takes from the environment: data under {@code home}, and the
     * secrets as cheap hashes (1000 PBKDF2 rounds), so that a deployment starts quickly.
     */
    static Map<String, String> environment(Path home) {
        SecretHasher cheap = new SecretHasher(1_000);
        return new HashMap<>(Map.of(
                "OAUTHLET_HOME", home.toString(),
                "BACKOFFICE_SECRET_HASH", cheap.hash("backoffice-secret-from-env"),
                "STOREFRONT_SECRET_HASH", cheap.hash("storefront-secret"),
                "SHOP_SECRET_HASH", cheap.hash("shop-secret"),
                "ALICE_PASSWORD_HASH", cheap.hash("alice-password"),
                "LEAVER_SECRET_HASH", cheap.hash("leaver-secret")));
    }

    /**
     * The host-login application: every file under {@code hostlogin/} (web.xml with its FORM login,
     * the login pages, oauthlet.yml into WEB-INF/classes) and the same WEB-INF/lib.
     */
    static void writeHostLogin(Path target) throws IOException {
        Path dir = CLASSES.resolve("hostlogin");
        Path tmp = Files.createTempFile(target.getParent().getParent(), "hostlogin", ".war.tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp)); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                put(zip, name.equals("oauthlet.yml") ? "WEB-INF/classes/oauthlet.yml" : name, Files.readAllBytes(f));
            }
            for (Path jar : libs()) {
                put(zip, "WEB-INF/lib/" + jar.getFileName(), Files.readAllBytes(jar));
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** oauthlet-servlet-filter with its runtime dependencies, and the H2 driver. */
    static List<Path> libs() throws IOException {
        return jars(Path.of(System.getProperty("oauthlet.war-lib")));
    }

    /** What a WAR depending on oauthlet-resource-server alone gets: its jar and its pom's runtime dependencies. */
    static List<Path> slimLibs() throws IOException {
        Path module = Path.of(System.getProperty("oauthlet.resource-server"));
        List<Path> jars = new java.util.ArrayList<>(jars(module.resolve("war-lib")));
        jars.addAll(jars(module).stream().filter(p -> p.getFileName().toString().startsWith("oauthlet-resource-server-")).toList());
        return jars.stream().sorted().toList();
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(content);
        zip.closeEntry();
    }
}
