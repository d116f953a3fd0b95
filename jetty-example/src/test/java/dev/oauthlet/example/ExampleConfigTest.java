package dev.oauthlet.example;

import dev.oauthlet.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExampleConfigTest {

    @Test
    void readWhenNoExampleSectionThenDefaultDemoResources() {
        assertEquals(ExampleConfig.DEFAULT_RESOURCES, SeedServer.yaml("audiences: [back-office, storefront]\n").resources());
    }

    @Test
    void readWhenExampleSectionThenItsResourcesAndOauthletNeverSeesIt() {
        ExampleConfig c = SeedServer.yaml("""
                audiences: [api]
                example:
                  resources: [{path: /v1/gifts, audience: api}]
                """);
        assertEquals(List.of(new ExampleConfig.DemoResource("/v1/gifts", "api")), c.resources());
        assertEquals(List.of("api"), c.oauthlet().audiences());
    }

    @Test
    void readWhenResourceHasFilterParamsThenKeptForItsFilter() {
        ExampleConfig c = SeedServer.yaml("""
                audiences: [api]
                example:
                  resources: [{path: /v1/gifts, audience: api, filter: {revocation-check: "true", realm: gifts}}]
                """);
        assertEquals(java.util.Map.of("revocation-check", "true", "realm", "gifts"), c.resources().get(0).filter());
    }

    @Test
    void readWhenResourceKeyUnknownThenRefusedNamingIt() {
        var e = assertThrows(ConfigException.class, () -> SeedServer.yaml("""
                audiences: [api]
                example:
                  resources: [{path: /v1/gifts, audience: api, scopes: read}]
                """));
        assertEquals("test.yml: example.resources[0].scopes: unknown key 'scopes' (known: path, audience, resource, dpop, filter)", e.getMessage());
    }

    @Test
    void readWhenResourceDpopGivenThenItIsTheFiltersInitParamAndAnUnknownModeIsRefused() {
        ExampleConfig c = SeedServer.yaml("""
                audiences: [api]
                example:
                  resources: [{path: /v1/gifts, audience: api, dpop: required}]
                """);
        assertEquals(java.util.Map.of("dpop", "required"), c.resources().get(0).filter());
        var e = assertThrows(ConfigException.class, () -> SeedServer.yaml("""
                audiences: [api]
                example:
                  resources: [{path: /v1/gifts, audience: api, dpop: yes-please}]
                """));
        assertEquals("test.yml: example.resources[0].dpop: off, allowed or required, got 'yes-please'", e.getMessage());
    }

    @Test
    void readWhenResourceAudienceUnknownThenRefusedNamingTheKey() {
        var e = assertThrows(ConfigException.class, () -> SeedServer.yaml("""
                audiences: [api]
                example:
                  resources: [{path: /v1/gifts, audience: shop}]
                """));
        assertEquals("test.yml: example.resources[0].audience: unknown audience 'shop' (known: api)", e.getMessage());
    }

    @Test
    void readWhenOauthletKeyWrongThenOauthletsOwnMessage() {
        var e = assertThrows(ConfigException.class, () -> SeedServer.yaml("""
                tokens: {token-type: mac}
                example: {resources: []}
                """));
        assertEquals("test.yml: tokens.token-type: 'mac' is not a spelling of Bearer (use Bearer or bearer)", e.getMessage());
    }
}
