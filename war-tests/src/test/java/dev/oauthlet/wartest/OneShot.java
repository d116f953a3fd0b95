package dev.oauthlet.wartest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 exchange on its own connection ({@code Connection: close}), telling apart what a
 * load balancer tells apart during a stop: a connection the container never accepted (refused), a
 * request whose connection broke before a whole answer (cut), and an answer. Records when the
 * request head was sent ({@code connectedNanos}), so a test can say which requests the container had before a signal.
 */
final class OneShot implements AutoCloseable {

    enum Kind { REFUSED, CUT, ANSWERED }

    record Outcome(Kind kind, long connectedNanos, int status, String body, String detail) {
        /** A member of a JSON answer, e.g. {@code refresh_token}. */
        String member(String name) {
            Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(body == null ? "" : body);
            if (!m.find()) {
                throw new AssertionError("no " + name + " in " + this);
            }
            return m.group(1);
        }

        @Override
        public String toString() {
            return kind + (kind == Kind.ANSWERED ? " " + status + " " + body : " " + detail);
        }
    }

    private final Socket socket = new Socket();
    private long connected;
    private Outcome early;

    private OneShot() {
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The whole exchange: connect, send, read the answer. */
    static Outcome exchange(int port, String method, String path, String authorization, String form) {
        try (OneShot s = begin(port, method, path, authorization, form, form == null ? 0 : form.length())) {
            return s.finish("");
        }
    }

    /**
     * Connects and sends the request head and the first {@code sent} bytes of {@code form}: a slow
     * upload, which the container is serving (reading its body) until {@link #finish} sends the rest.
     */
    static OneShot begin(int port, String method, String path, String authorization, String form, int sent) {
        OneShot s = new OneShot();
        try {
            try {
                s.socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            } catch (ConnectException e) {
                s.early = new Outcome(Kind.REFUSED, System.nanoTime(), 0, null, e.toString());
                return s;
            }
            s.socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (form != null) {
                head.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(form.length()).append("\r\n");
            }
            OutputStream out = s.socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (form != null) {
                out.write(form.substring(0, sent).getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            // Stamped once the head is on its way, not at connect: under load a thread can be descheduled between
            // the two, and a head written after a container's stop signal is not a request in flight at it.
            s.connected = System.nanoTime();
        } catch (IOException e) {
            s.early = new Outcome(Kind.CUT, s.connected == 0 ? System.nanoTime() : s.connected, 0, null, e.toString());
        }
        return s;
    }

    /** Sends {@code rest} of the body and reads the answer to the end of the connection. */
    Outcome finish(String rest) {
        if (early != null) {
            return early;
        }
        try {
            OutputStream out = socket.getOutputStream();
            out.write(rest.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            return new Outcome(Kind.CUT, connected, 0, null, e.toString());
        }
    }

    /** A whole answer, or CUT: its head, and a body as long as Content-Length or chunking says. */
    private Outcome parse(byte[] all) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0 || !text.startsWith("HTTP/1.1 ")) {
            return new Outcome(Kind.CUT, connected, 0, null, "no whole response head (" + all.length + " bytes)");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        byte[] rest = Arrays.copyOfRange(all, end + 4, all.length);
        Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
        byte[] body = rest;
        if (length.find()) {
            int n = Integer.parseInt(length.group(1));
            if (rest.length < n) {
                return new Outcome(Kind.CUT, connected, status, null, "body cut at " + rest.length + " of " + n + " bytes");
            }
            body = Arrays.copyOf(rest, n);
        } else if (head.contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(rest);
            if (body == null) {
                return new Outcome(Kind.CUT, connected, status, null, "chunked body without its last chunk");
            }
        }
        return new Outcome(Kind.ANSWERED, connected, status, new String(body, StandardCharsets.UTF_8), null);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        for (int i = 0; ; ) {
            int eol = text.indexOf("\r\n", i);
            if (eol < 0) {
                return null;
            }
            int size = Integer.parseInt(text.substring(i, eol).split(";")[0].strip(), 16);
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to read or write.
        }
    }
}
