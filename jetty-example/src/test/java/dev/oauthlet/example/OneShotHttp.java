package dev.oauthlet.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange on its own connection ({@code Connection: close}), telling apart what a
 * load balancer tells apart during a stop: a connection the server never accepted (refused), an
 * accepted request whose connection broke before a whole answer (cut), and an answer. Records when
 * the connection was established, so a test can say which requests the server had before a signal.
 */
final class OneShotHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { REFUSED, CUT, ANSWERED }

    record Outcome(Kind kind, long connectedNanos, int status, String body, String detail) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return kind + (kind == Kind.ANSWERED ? " " + status + " " + body : " " + detail);
        }
    }

    private OneShotHttp() {
    }

    static Outcome exchange(int port, String method, String path, String authorization, String formBody) {
        Socket socket = new Socket();
        try {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            } catch (ConnectException e) {
                return new Outcome(Kind.REFUSED, System.nanoTime(), 0, null, e.toString());
            }
            long connected = System.nanoTime();
            try {
                socket.setSoTimeout(30_000);
                byte[] body = formBody == null ? new byte[0] : formBody.getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                        .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
                if (authorization != null) {
                    head.append("Authorization: ").append(authorization).append("\r\n");
                }
                if (formBody != null) {
                    head.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length).append("\r\n");
                }
                OutputStream out = socket.getOutputStream();
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return parse(socket.getInputStream(), connected);
            } catch (IOException e) {
                return new Outcome(Kind.CUT, connected, 0, null, e.toString());
            }
        } catch (IOException e) {
            return new Outcome(Kind.CUT, System.nanoTime(), 0, null, e.toString());
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing left to read or write.
            }
        }
    }

    /** A whole answer, or CUT: its head, and a body as long as Content-Length or chunking says. */
    private static Outcome parse(InputStream in, long connected) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0 || !text.startsWith("HTTP/1.1 ")) {
            return new Outcome(Kind.CUT, connected, 0, null, "no whole response head (" + all.length + " bytes)");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        byte[] body;
        int lengthAt = head.indexOf("\r\ncontent-length:");
        if (lengthAt >= 0) {
            int eol = head.indexOf("\r\n", lengthAt + 2);
            int length = Integer.parseInt(head.substring(lengthAt + 17, eol < 0 ? head.length() : eol).strip());
            if (rest.length < length) {
                return new Outcome(Kind.CUT, connected, status, null, "body cut at " + rest.length + " of " + length + " bytes");
            }
            body = java.util.Arrays.copyOf(rest, length);
        } else if (head.contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(rest);
            if (body == null) {
                return new Outcome(Kind.CUT, connected, status, null, "chunked body without its last chunk");
            }
        } else {
            body = rest;
        }
        return new Outcome(Kind.ANSWERED, connected, status, new String(body, StandardCharsets.UTF_8), null);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOf(chunked, i);
            if (eol < 0) {
                return null;
            }
            int size = Integer.parseInt(new String(chunked, i, eol - i, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            if (eol + 2 + size > chunked.length) {
                return null;
            }
            out.write(chunked, eol + 2, size);
            i = eol + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
