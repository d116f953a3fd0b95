package dev.oauthlet.wartest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The test application as a WAR: its web.xml, oauthlet.yml and servlet from the test classes, and in
 * WEB-INF/lib this build's own oauthlet-servlet-filter and oauthlet-core with their runtime
 * dependencies and the H2 driver (copied by maven-dependency-plugin from the reactor) — no SLF4J
 * provider.
 */
final class TestWar {

    private static final Path APP = Path.of("target/test-classes/app");
    private static final Path CLASSES = Path.of("target/test-classes");
    private static final String SERVLET = "dev/oauthlet/wartest/app/WhoAmIServlet.class";

    private TestWar() {
    }

    /** Writes the WAR to {@code target} in one move, so a container's scanner never sees half a file. */
    static void write(Path target, boolean withLeaver) throws IOException {
        String yaml = Files.readString(APP.resolve("oauthlet.yml"), StandardCharsets.UTF_8);
        if (!withLeaver) {
            yaml = yaml.substring(0, yaml.indexOf("  # leaver:"));
        }
        Path tmp = Files.createTempFile(target.getParent().getParent(), "app", ".war.tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            put(zip, "WEB-INF/web.xml", Files.readAllBytes(APP.resolve("WEB-INF/web.xml")));
            put(zip, "WEB-INF/classes/oauthlet.yml", yaml.getBytes(StandardCharsets.UTF_8));
            put(zip, "WEB-INF/classes/" + SERVLET, Files.readAllBytes(CLASSES.resolve(SERVLET)));
            for (Path jar : libs()) {
                put(zip, "WEB-INF/lib/" + jar.getFileName(), Files.readAllBytes(jar));
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

    static List<Path> libs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("oauthlet.war-lib")))) {
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
