package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching of {@code path-scopes} rules by method and pattern. */
class ScopeRulesTest {

    private static final ScopeRules RULES = ScopeRules.parse(
            "GET /orders/* = orders:read; POST /orders/* = orders:write; /admin = admin; *.csv = export");

    @Test
    void requiredWhenHeadOnAGetRuleThenTheGetScopes() {
        assertEquals(Set.of("orders:read"), RULES.required("HEAD", "/orders/7"));
    }

    @Test
    void requiredWhenOtherMethodThenOnlyItsOwnRules() {
        assertEquals(Set.of("orders:write"), RULES.required("POST", "/orders/7"));
        assertEquals(Set.of(), RULES.required("DELETE", "/orders/7"));
    }

    @Test
    void requiredWhenPrefixPatternThenMatchesItsRootButNotASiblingWithTheSameStart() {
        assertEquals(Set.of("orders:read"), RULES.required("GET", "/orders"));
        assertEquals(Set.of(), RULES.required("GET", "/ordersX/1"));
    }

    @Test
    void requiredWhenExactAndExtensionPatternsThenEachMatchesOnlyItsPaths() {
        assertEquals(Set.of("admin"), RULES.required("PUT", "/admin"));
        assertEquals(Set.of(), RULES.required("PUT", "/admin/x"));
        assertEquals(Set.of("orders:read", "export"), RULES.required("GET", "/orders/all.csv"));
    }
}
