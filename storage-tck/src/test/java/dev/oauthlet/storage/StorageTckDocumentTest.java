package dev.oauthlet.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/storage.md shows the TCK's use as it runs here: the dependency of this module, the subclass of this directory. */
class StorageTckDocumentTest {

    private static final Path DOC = Path.of("../docs/storage.md");

    @Test
    void storageDocWhenReadThenShowsMemoryStorageContractTestAsItIsAndTheTckDependency() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String subclass = Files.readString(Path.of("src/test/java/dev/oauthlet/storage/MemoryStorageContractTest.java"), StandardCharsets.UTF_8);
        assertTrue(doc.contains("```java\n" + subclass + "```"), "docs/storage.md must show MemoryStorageContractTest.java exactly");
        String version = new String(Files.readAllBytes(Path.of("pom.xml")), StandardCharsets.UTF_8)
                .replaceAll("(?s).*<parent>.*?<version>([^<]+)</version>.*", "$1");
        assertTrue(doc.contains("""
                <dependency>
                  <groupId>dev.oauthlet</groupId>
                  <artifactId>oauthlet-storage-tck</artifactId>
                  <version>%s</version>
                  <scope>test</scope>
                </dependency>
                """.formatted(version)), "docs/storage.md must name this module's coordinates, version " + version);
    }
}
