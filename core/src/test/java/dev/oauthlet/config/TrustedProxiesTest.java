package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose {@code X-Forwarded-For} is believed, and which of its entries is the client. */
class TrustedProxiesTest {

    private final TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"));

    @Test
    void clientAddressWhenPeerIsNotAProxyThenTheHeaderIsIgnored() {
        assertEquals("203.0.113.7", proxies.clientAddress("203.0.113.7", List.of("198.51.100.1")));
    }

    @Test
    void clientAddressWhenPeerIsAProxyThenTheRightMostUntrustedHop() {
        // The client wrote "1.1.1.1" itself; the proxy at 10.1.2.3 appended the address it saw.
        assertEquals("198.51.100.9", proxies.clientAddress("10.1.2.3", List.of("1.1.1.1, 198.51.100.9")));
        assertEquals("198.51.100.9", proxies.clientAddress("10.1.2.3", List.of("1.1.1.1", "198.51.100.9, 192.0.2.10")));
    }

    @Test
    void clientAddressWhenOnlyProxiesInTheChainThenTheLeftMost() {
        assertEquals("10.9.9.9", proxies.clientAddress("10.1.2.3", List.of("10.9.9.9, 192.0.2.10")));
    }

    @Test
    void clientAddressWhenTheHeaderIsMissingOrGarbageThenTheLastSensibleHop() {
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", List.of()));
        assertEquals("198.51.100.9", proxies.clientAddress("10.1.2.3", List.of("not-an-address, 198.51.100.9")));
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", List.of("198.51.100.9, evil.example")));
    }

    @Test
    void trustedWhenIpv6RangeThenMatchesByPrefix() {
        assertTrue(proxies.trusted("fd12::1"));
        assertFalse(proxies.trusted("fe80::1"));
        assertFalse(proxies.trusted("11.0.0.1"));
    }

    @Test
    void clientAddressWhenNoProxiesConfiguredThenThePeer() {
        assertEquals("10.1.2.3", TrustedProxies.NONE.clientAddress("10.1.2.3", List.of("198.51.100.9")));
    }

    @Test
    void parseWhenPrefixTooLongThenError() {
        var e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("10.0.0.0/33")));
        assertEquals("'10.0.0.0/33' has a prefix length outside 0..32", e.getMessage());
    }
}
