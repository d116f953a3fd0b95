package dev.oauthlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.grant.TokenIssuance;
import dev.oauthlet.grant.GrantFactory;
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
import java.util.Map;
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
        public TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    /** A grant that needs the store, made by a factory {@link #factoryLoader} lists: it answers the number of clients stored. */
    public static final class CountingGrantFactory implements GrantFactory {
        @Override
        public String grantType() {
            return "urn:example:count";
        }

        @Override
        public GrantHandler create(Services services) {
            return new GrantHandler() {
                @Override
                public String grantType() {
                    return "urn:example:count";
                }

                @Override
                public TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest request) {
                    int clients = services.storage().clients().findAll().size();
                    var access = issuance.accessToken(client, grantType(), client.id(), Set.of(), Map.of(), request.extensionParameters());
                    return new TokenResponse(access.value(), "Bearer", 60, null, "clients:" + clients);
                }
            };
        }
    }

    @TempDir
    Path dir;

    private ClassLoader factoryLoader() throws IOException {
        String name = "META-INF/services/" + GrantFactory.class.getName();
        Path services = dir.resolve("factory").resolve(name);
        Files.createDirectories(services.getParent());
        Files.writeString(services, CountingGrantFactory.class.getName() + "\n");
        URL extra = services.toUri().toURL();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String resource) throws IOException {
                List<URL> all = new ArrayList<>(Collections.list(super.getResources(resource)));
                if (resource.equals(name)) {
                    all.add(extra);
                }
                return Collections.enumeration(all);
            }
        };
    }

    @Test
    void buildWhenGrantFactoryListedThenItsGrantGetsTheStoreAndAnswers() throws IOException {
        ClassLoader loader = factoryLoader();
        var yaml = YAML.replace("urn:example:plugin", "urn:example:count").replace("secret-hash: pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "public: true");
        OauthletConfig config = OauthletBuilder.readConfig("factory.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                Set.of(), loader);
        try (Oauthlet server = Oauthlet.builder().config(config).classLoader(loader).build()) {
            TokenResponse response = server.token(TokenRequest.parse(
                    Map.of("grant_type", List.of("urn:example:count"), "client_id", List.of("partner")), null));
            assertEquals("clients:1", response.scope());
        }
    }

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
