package dev.oauthlet.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

/**
 * The floor: CPU per bare JDK signature (and RS256 verification) of a token-sized input,
 * {@code java.security.Signature} only, measured by each thread's CPU clock: one thread, or as many
 * as the machine has cores, all signing at once.
 */
final class Bare {

    private Bare() {
    }

    /** A JWS signing input about the size of an Oauthlet access token's. */
    static final byte[] INPUT = ("eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIn0."
            + "eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjgwODAiLCJzdWIiOiJiYWNrb2ZmaWNlLWFwcCIsImF1ZCI6ImJhY2stb2ZmaWNlIiwiY2xpZW50X2lkIjoi"
            + "YmFja29mZmljZS1hcHAiLCJzY29wZSI6Im9yZGVyczpyZWFkIG9yZGVyczp3cml0ZSIsImlhdCI6MTc5NjE1NjEwNCwiZXhwIjoxNzk2MTU5NzA0LCJq"
            + "dGkiOiJiZW5jaC0wMDAwMDAwMDAwMDAwMDAwMDAwMCJ9").getBytes(StandardCharsets.US_ASCII);

    /**
     * Microseconds of CPU per operation with {@code threads} threads signing at once, the mean of
     * their per-thread figures. With as many threads as cores this is the floor of a server that keeps
     * every core signing: on this machine two RS256 signatures at once each cost some 20–40 % more
     * CPU than one alone (the two virtual CPUs appear to share a physical core's multiplier; a busy
     * loop that does not multiply, {@code yes > /dev/null}, on the other CPU costs a lone signature
     * nothing), so a loaded server cannot reach the one-thread figure whatever it does.
     */
    static double micros(String op, double seconds, int threads) throws Exception {
        if (threads == 1) {
            return micros(op, seconds);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Double>> each = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                each.add(pool.submit(() -> micros(op, seconds)));
            }
            double sum = 0;
            for (java.util.concurrent.Future<Double> f : each) {
                sum += f.get();
            }
            return sum / threads;
        } finally {
            pool.shutdown();
        }
    }

    /** Microseconds of CPU per operation: {@code RS256-sign}, {@code RS256-verify}, {@code ES256-sign}, {@code EdDSA-sign}. */
    static double micros(String op, double seconds) throws Exception {
        KeyPair pair = switch (op) {
            case "RS256-sign", "RS256-verify" -> generator("RSA", 2048);
            case "ES256-sign" -> generator("EC", 256);
            case "EdDSA-sign" -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            default -> throw new IllegalArgumentException(op);
        };
        String algorithm = switch (op) {
            case "RS256-sign", "RS256-verify" -> "SHA256withRSA";
            case "ES256-sign" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        Signature s = Signature.getInstance(algorithm);
        s.initSign(pair.getPrivate());
        s.update(INPUT);
        byte[] signature = s.sign();
        boolean verify = op.endsWith("verify");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // Warm-up, so the JIT has compiled the big-integer and curve arithmetic as it has in a warm server.
        run(s, pair, signature, verify, 0.5, threads);
        return run(s, pair, signature, verify, seconds, threads);
    }

    private static double run(Signature s, KeyPair pair, byte[] signature, boolean verify, double seconds, ThreadMXBean threads)
            throws Exception {
        long budget = (long) (seconds * 1e9);
        long start = threads.getCurrentThreadCpuTime();
        long n = 0;
        while (threads.getCurrentThreadCpuTime() - start < budget) {
            for (int i = 0; i < 20; i++) {
                if (verify) {
                    s.initVerify(pair.getPublic());
                    s.update(INPUT);
                    if (!s.verify(signature)) {
                        throw new IllegalStateException("signature does not verify");
                    }
                } else {
                    s.initSign(pair.getPrivate());
                    s.update(INPUT);
                    s.sign();
                }
            }
            n += 20;
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1000.0 / n;
    }

    private static KeyPair generator(String algorithm, int size) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(size);
        }
        return g.generateKeyPair();
    }
}
