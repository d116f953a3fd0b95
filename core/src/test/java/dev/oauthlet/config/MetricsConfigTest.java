package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

    private static String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> TestConfigs.parse(yaml)).getMessage();
    }

    @Test
    void loadWhenNoMetricsSectionThenOffLoopbackOnlyAndTwentyClientTags() {
        OauthletConfig c = TestConfigs.parse("issuer: https://auth.example.com\n");

        assertFalse(c.metrics().enabled());
        assertEquals(MetricsConfig.LOOPBACK, c.metrics().allowedAddresses());
        assertEquals(20, c.metrics().maxClientTags());
        assertEquals("/metrics", c.endpoints().metrics());
        assertTrue(c.metrics().allows("127.0.0.1"));
        assertTrue(c.metrics().allows("0:0:0:0:0:0:0:1"));
        assertFalse(c.metrics().allows("10.0.0.1"));
        assertFalse(c.metrics().allows(null));
    }

    @Test
    void loadWhenMetricsSectionGivenThenEveryKeyRead() {
        OauthletConfig c = TestConfigs.parse("""
                endpoints:
                  metrics: /ops/metrics
                metrics:
                  enabled: true
                  allowed-addresses: [10.0.0.0/8, "2001:db8::/32"]
                  max-client-tags: 0
                """);

        assertTrue(c.metrics().enabled());
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"), c.metrics().allowedAddresses());
        assertEquals(0, c.metrics().maxClientTags());
        assertEquals("/ops/metrics", c.endpoints().metrics());
        assertTrue(c.metrics().allows("10.20.30.40"));
        assertTrue(c.metrics().allows("2001:db8::1"));
        assertFalse(c.metrics().allows("127.0.0.1"), "the list replaces the loopback default");
    }

    @Test
    void loadWhenAnAllowedAddressIsNoAddressThenRefusedNamingKeyAndEntry() {
        String msg = refusal("metrics:\n  allowed-addresses: [prometheus.internal]\n");

        assertTrue(msg.contains("metrics.allowed-addresses"), msg);
        assertTrue(msg.contains("'prometheus.internal' is not an IP address or CIDR range"), msg);
    }

    @Test
    void loadWhenUnknownKeyOrTagBoundOutOfRangeThenRefused() {
        assertTrue(refusal("metrics:\n  enable: true\n").contains("metrics.enable"));
        String msg = refusal("metrics:\n  max-client-tags: 5000\n");
        assertTrue(msg.contains("metrics.max-client-tags"), msg);
    }

    @Test
    void constructorWhenBoundNegativeThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MetricsConfig(true, MetricsConfig.LOOPBACK, -1));
    }
}
