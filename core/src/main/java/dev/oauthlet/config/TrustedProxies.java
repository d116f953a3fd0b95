package dev.oauthlet.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code authorization.trusted-proxies}: the reverse proxies whose {@code X-Forwarded-For}
 * names the client. Failure limits count by the client's address, so a header anyone can send
 * is believed only from these: from any other peer the connection's own address counts.
 * Entries are addresses ({@code 10.0.0.5}, {@code ::1}) or CIDR ranges ({@code 10.0.0.0/8}).
 */
public final class TrustedProxies {

    /** No proxy is trusted: the connection's address is the client's. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<String> entries;
    private final List<Range> ranges;

    private TrustedProxies(List<String> entries, List<Range> ranges) {
        this.entries = List.copyOf(entries);
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Parses the entries.
     *
     * @throws IllegalArgumentException naming the first entry that is neither an IP address nor a CIDR range
     */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String e : entries) {
            ranges.add(Range.parse(e));
        }
        return new TrustedProxies(entries, ranges);
    }

    /** The entries as configured. */
    public List<String> entries() {
        return entries;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies t && t.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "TrustedProxies" + entries;
    }

    /**
     * The client's address: {@code remoteAddress} unless it is a trusted proxy; then the
     * right-most {@code X-Forwarded-For} entry that is not a trusted proxy (entries to its left
     * were written by the client and prove nothing).
     *
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order; may be empty
     */
    public String clientAddress(String remoteAddress, List<String> forwardedFor) {
        if (ranges.isEmpty() || remoteAddress == null || !trusted(remoteAddress)) {
            return remoteAddress;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        String client = remoteAddress;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isLiteral(hop)) {
                // Garbage in the chain: the last proxy that wrote something sensible is as far as we trust.
                return client;
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** {@code true} when {@code address} is one of the trusted proxies. */
    public boolean trusted(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLiteral(String s) {
        return literal(s) != null;
    }

    /** The bytes of an IP literal; {@code null} for anything else (never a DNS lookup). */
    static byte[] literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address with a prefix length. */
    private record Range(byte[] address, int prefix) {

        static Range parse(String entry) {
            String s = entry.strip();
            int slash = s.indexOf('/');
            byte[] a = literal(slash < 0 ? s : s.substring(0, slash));
            if (a == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8)");
            }
            int prefix = a.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > a.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0.." + a.length * 8);
                }
            }
            return new Range(a, prefix);
        }

        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            if (!Arrays.equals(address, 0, full, other, 0, full)) {
                return false;
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (other[full] & mask);
        }
    }
}
