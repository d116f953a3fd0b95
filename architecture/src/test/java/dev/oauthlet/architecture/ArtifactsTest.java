package dev.oauthlet.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The published artifacts as users meet them: the BOM names every one of them at the build's
 * version, and every Maven dependency shown in README.md and docs/*.md parses and names an
 * artifact and a version this build has (Oauthlet's own from the reactor, libraries as the parent
 * pom pins them, or their siblings).
 */
class ArtifactsTest {

    private static final Path ROOT = Path.of(System.getProperty("oauthlet.root", "..")).toAbsolutePath().normalize();
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    @Test
    void bomWhenReadThenManagesEveryPublishedArtifactAtTheBuildsVersion() throws Exception {
        Document parent = parse(Files.readString(ROOT.resolve("pom.xml")));
        String version = text(parent.getDocumentElement(), "version");
        Set<String> published = new TreeSet<>();
        for (Element module : children(child(parent.getDocumentElement(), "modules"), "module")) {
            String artifactId = text(parse(Files.readString(ROOT.resolve(module.getTextContent()).resolve("pom.xml"))).getDocumentElement(),
                    "artifactId");
            if (artifactId.startsWith("oauthlet-") && !artifactId.equals("oauthlet-bom")) {
                published.add(artifactId);
            }
        }
        assertTrue(published.containsAll(Set.of("oauthlet-core", "oauthlet-servlet-filter", "oauthlet-resource-server",
                "oauthlet-storage-tck")), published::toString);

        Element bom = parse(Files.readString(ROOT.resolve("bom/pom.xml"))).getDocumentElement();
        assertEquals(version, text(bom, "version"), "bom/pom.xml has no parent: keep its version equal to the parent's");
        assertNull(child(bom, "parent"), "a BOM's parent would be imported with it");
        Set<String> managed = new TreeSet<>();
        for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals("dev.oauthlet", text(d, "groupId"));
            assertEquals("${project.version}", text(d, "version"));
            managed.add(text(d, "artifactId"));
        }
        assertEquals(published, managed, "bom/pom.xml must manage exactly the published artifacts");
    }

    @Test
    void documentedDependenciesWhenReadThenNameArtifactsAndVersionsOfThisBuild() throws Exception {
        Element parent = parse(Files.readString(ROOT.resolve("pom.xml"))).getDocumentElement();
        Map<String, String> pinned = pinnedVersions(parent);
        String version = text(parent, "version");
        Set<String> ours = new TreeSet<>(List.of("oauthlet-bom"));
        for (Element module : children(child(parent, "modules"), "module")) {
            ours.add(text(parse(Files.readString(ROOT.resolve(module.getTextContent()).resolve("pom.xml"))).getDocumentElement(), "artifactId"));
        }
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        int checked = 0;
        for (Path doc : docs) {
            Matcher m = XML_BLOCK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                if (!m.group(1).contains("<dependency>")) {
                    continue;
                }
                // A snippet is a few elements, or a whole block such as <dependencyManagement>: wrap it so that it parses.
                Document snippet = parse("<snippet>" + m.group(1).replaceAll("<!--.*?-->", "") + "</snippet>");
                NodeList deps = snippet.getElementsByTagName("dependency");
                for (int i = 0; i < deps.getLength(); i++) {
                    Element d = (Element) deps.item(i);
                    String coordinates = text(d, "groupId") + ":" + text(d, "artifactId");
                    String where = doc.getFileName() + ": " + coordinates;
                    if (text(d, "groupId").equals("dev.oauthlet")) {
                        assertTrue(ours.contains(text(d, "artifactId")), where + " is not an artifact of this build: " + ours);
                        assertEquals(version, text(d, "version"), where);
                    } else {
                        // Pinned itself, or a sibling of a pinned artifact (slf4j-jdk14 beside slf4j-api): that version.
                        String group = text(d, "groupId") + ":";
                        String expected = pinned.containsKey(coordinates) ? pinned.get(coordinates) : pinned.entrySet().stream()
                                .filter(e -> e.getKey().startsWith(group)).map(Map.Entry::getValue).findFirst().orElse(null);
                        assertNotNull(expected, where + ": the parent pom pins nothing of " + group);
                        assertEquals(expected, text(d, "version"), where + ": the version this build uses");
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked >= 7, "only " + checked + " documented dependencies found");
    }

    /** groupId:artifactId → version of the parent's dependencyManagement, properties resolved. */
    private static Map<String, String> pinnedVersions(Element parent) {
        Map<String, String> properties = new TreeMap<>();
        NodeList props = child(parent, "properties").getChildNodes();
        for (int i = 0; i < props.getLength(); i++) {
            if (props.item(i) instanceof Element p) {
                properties.put(p.getTagName(), p.getTextContent().strip());
            }
        }
        Map<String, String> pinned = new TreeMap<>();
        for (Element d : children(child(child(parent, "dependencyManagement"), "dependencies"), "dependency")) {
            Matcher p = PROPERTY.matcher(text(d, "version"));
            pinned.put(text(d, "groupId") + ":" + text(d, "artifactId"), p.matches() ? properties.get(p.group(1)) : text(d, "version"));
        }
        return pinned;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        assertFalse(e == null, "<" + parent.getTagName() + "> has no <" + name + ">");
        return e.getTextContent().strip();
    }
}
