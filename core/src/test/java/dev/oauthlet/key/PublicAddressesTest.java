package dev.oauthlet.key;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses a registered client's {@code jwks_uri} may be fetched from: the public internet only. */
class PublicAddressesTest {

    @Test
    void isPublicWhenSpecialPurposeRangeThenFalse() throws Exception {
        for (String a : List.of("127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.0.8",
                "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
                "2001:db8::1")) {
            assertFalse(PublicAddresses.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void isPublicWhenInternetAddressThenTrue() throws Exception {
        for (String a : List.of("8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111", "2a00:1450::1")) {
            assertTrue(PublicAddresses.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void checkWhenHostIsLoopbackOrPrivateLiteralOrLocalhostThenRefusedWithoutNamingAnAddress() {
        for (String uri : List.of("https://127.0.0.1/jwks", "https://[::1]:8443/jwks", "https://10.0.0.7/jwks", "https://localhost/jwks",
                "https://[::ffff:169.254.169.254]/latest")) {
            IOException e = assertThrows(IOException.class, () -> PublicAddresses.check(URI.create(uri)), uri);
            assertTrue(e.getMessage().contains("resolves to a loopback, private or link-local address"), e.getMessage());
        }
        assertThrows(IOException.class, () -> PublicAddresses.check(URI.create("https:/no-host")));
    }
}
