package dev.oauthlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.grant.GrantContext;
import dev.oauthlet.grant.GrantHandler;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** readConfig must know the grants the loader that build() searches knows, e.g. a plug-in in WEB-INF/lib. */
class OauthletBuilderReadConfigTest {

    static final String SERVICES = "META-INF/services/" + GrantHandler.class.getName();
    static final String YAML = """
            issuer: https://auth.example.com
            audiences: [api]
            clients:
              - id: partner
                secret-hash: pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                grants: [urn:example:plugin]
            """;

    /** A grant only {@link #pluginLoader} lists, as a web application's own jar would. */
    public static final class PluginGrant implements GrantHandler {
        @Override
        public String grantType() {
            return "urn:example:plugin";
        }

        @Override
        public TokenResponse handle(GrantContext context, ClientRegistration client, TokenRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    @TempDir
    Path dir;

    /** The test class path plus one more services file that names {@link PluginGrant}. */
    private ClassLoader pluginLoader() throws IOException {
        Path services = dir.resolve(SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, PluginGrant.class.getName() + "\n");
        URL extra = services.toUri().toURL();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> all = new ArrayList<>(Collections.list(super.getResources(name)));
                if (name.equals(SERVICES)) {
                    all.add(extra);
                }
                return Collections.enumeration(all);
            }
        };
    }

    private static OauthletConfig read(ClassLoader loader) {
        var in = new ByteArrayInputStream(YAML.getBytes(StandardCharsets.UTF_8));
        return loader == null ? OauthletBuilder.readConfig("plugin.yml", in, Set.of())
                : OauthletBuilder.readConfig("plugin.yml", in, Set.of(), loader);
    }

    @Test
    void readConfigWhenGrantOnlyThePluginLoaderKnowsThenRefusedWithoutIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(null));
        assertTrue(e.getMessage().contains("urn:example:plugin"), e.getMessage());
    }

    @Test
    void readConfigWhenLoaderGivenThenItsGrantsAreKnown() throws IOException {
        assertEquals(Set.of("urn:example:plugin"), read(pluginLoader()).clients().get(0).grants());
    }

    @Test
    void readConfigWhenThreadContextLoaderKnowsTheGrantThenKnown() throws IOException {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(pluginLoader());
        try {
            assertEquals(Set.of("urn:example:plugin"), read(null).clients().get(0).grants());
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
