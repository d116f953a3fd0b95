package dev.oauthlet.example.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one connection per request: the fuzzer must be able to send what
 * {@link java.net.http.HttpClient} refuses to (odd methods, broken headers, bodies that disagree
 * with their {@code Content-Type}).
 */
final class RawHttp {

    private RawHttp() {
    }

    /** An answer: status, headers (names lower-cased, in order) and body. */
    record Answer(int status, List<Map.Entry<String, String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equals(name.toLowerCase(Locale.ROOT))) {
                    return h.getValue();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** Sends {@code request} and reads the answer to the end of the connection. */
    static Answer send(int port, FuzzRequest request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((request.method() + " " + request.target() + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> h : request.headers()) {
                out.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (request.body() != null) {
                out.writeBytes(("Content-Length: " + request.body().length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            if (request.body() != null) {
                out.writeBytes(request.body());
            }
            try {
                s.getOutputStream().write(out.toByteArray());
            } catch (IOException refusedEarly) {
                // The server may answer (413, 431) and close before it has read everything: read what it said.
            }
            byte[] raw = readAll(s.getInputStream());
            // No TIME_WAIT pile-up on the client side over 100,000 connections.
            s.setSoLinger(true, 0);
            return parse(raw, "HEAD".equals(request.method()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                b.write(chunk, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // A reset after the answer: keep what arrived.
        }
        return b.toByteArray();
    }

    static Answer parse(byte[] raw, boolean head) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        // Interim answers (100 Continue to an Expect header) precede the real one.
        while (text.startsWith("HTTP/1.1 1")) {
            int interim = text.indexOf("\r\n\r\n");
            if (interim < 0) {
                break;
            }
            raw = java.util.Arrays.copyOfRange(raw, interim + 4, raw.length);
            text = text.substring(interim + 4);
        }
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip()));
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        Answer a = new Answer(status, headers, "");
        if (!head && "chunked".equalsIgnoreCase(a.header("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, head ? "" : new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int lineEnd = i;
            while (lineEnd + 1 < b.length && !(b[lineEnd] == '\r' && b[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String size = new String(b, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].strip();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(b, lineEnd + 2, n);
            i = lineEnd + 2 + n + 2;
        }
        return out.toByteArray();
    }
}
