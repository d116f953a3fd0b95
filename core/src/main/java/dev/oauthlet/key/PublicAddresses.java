package dev.oauthlet.key;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Whether a URL someone else chose — a registered client's {@code jwks_uri} — may be fetched: its
 * host must resolve to public addresses only, never to this machine, a private network, a
 * link-local range (cloud metadata services live at 169.254.169.254) or the like, so that
 * registering a client cannot make the server probe its own network (SSRF).
 *
 * <p>The check resolves the host and judges every address it resolves to. It runs right before
 * each fetch, not only at registration, since a name can be pointed elsewhere afterwards. The
 * fetch that follows resolves the name again; the JVM's own cache of successful look-ups
 * ({@code networkaddress.cache.ttl}, 30 s by default) answers it with the addresses just judged.
 */
public final class PublicAddresses {

    private PublicAddresses() {
    }

    /**
     * Refuses {@code uri} unless its host resolves to public addresses only.
     *
     * @throws IOException naming the host (never the address a private name resolved to)
     */
    public static void check(URI uri) throws IOException {
        String host = uri.getHost();
        if (host == null) {
            throw new IOException("'" + uri + "' has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IOException("the host of " + uri + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new IOException("the host of " + uri + " resolves to a loopback, private or link-local address, which is not fetched");
            }
        }
    }

    /** {@code true} for an address on the public internet: none of the special-purpose ranges of RFC 6890. */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                        // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // shared address space (carrier NAT), RFC 6598
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19))    // benchmarking
                    && first < 240;                                  // reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local, fc00::/7
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                // ::ffff:a.b.c.d reaches the IPv4 address: judge that one.
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !(first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8); // documentation
        }
        return false;
    }
}
