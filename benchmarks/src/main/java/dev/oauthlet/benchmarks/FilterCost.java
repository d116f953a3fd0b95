package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the {@link BearerTokenFilter} adds to the RS256 verification, in process, one thread: CPU per
 * call of a bare JDK verification (2048-bit key, a token-sized input), of the filter on a token its
 * cache misses (400 tokens cycled through a 16-entry cache, as {@code /fresh} in {@code run.sh}), and
 * of the filter on its cached token. The three run in turns, in blocks, the order rotated block by
 * block, so the machine's drift touches each alike; the figure to read is the median over blocks of
 * each block's miss minus its bare verification. Usage:
 * {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.FilterCost [calls per block] [blocks]}.
 */
public final class FilterCost {

    private static final int TOKENS = 400;

    private FilterCost() {
    }

    public static void main(String[] args) throws Exception {
        int block = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        try (Oauthlet server = Fixtures.server("memory")) {
            List<InProcessRequests.Bearer> requests = new ArrayList<>();
            for (int i = 0; i < TOKENS; i++) {
                requests.add(new InProcessRequests.Bearer(server.token(Fixtures.clientCredentials()).accessToken()));
            }
            BearerTokenFilter missing = new BearerTokenFilter(server, Map.of("audience", "api", "cache-size", "16"));
            missing.init(InProcessRequests.NO_INIT_PARAMS);
            BearerTokenFilter cached = new BearerTokenFilter(server, Map.of("audience", "api"));
            cached.init(InProcessRequests.NO_INIT_PARAMS);
            HttpServletResponse response = InProcessRequests.response();
            long[] passed = {0};
            FilterChain chain = (req, resp) -> passed[0]++;

            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            byte[] input = new byte[requests.get(0).getHeader("Authorization").length() * 3 / 4];
            new Random(1).nextBytes(input);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(pair.getPrivate());
            signer.update(input);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");

            int[] next = {0};
            Call[] calls = {
                () -> {
                    verifier.initVerify(pair.getPublic());
                    verifier.update(input);
                    if (!verifier.verify(signature)) {
                        throw new IllegalStateException("the bare signature does not verify");
                    }
                },
                () -> missing.doFilter(requests.get(next[0]++ % TOKENS), response, chain),
                () -> cached.doFilter(requests.get(0), response, chain),
            };
            String[] names = {"bare RS256 verification", "filter, token not cached", "filter, cached token"};
            for (int i = 0; i < 30_000; i++) {
                for (Call c : calls) {
                    c.run();
                }
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[][] micros = new double[calls.length][blocks];
            double[] missOverBare = new double[blocks];
            long filtered = 0;
            passed[0] = 0;
            for (int b = 0; b < blocks; b++) {
                for (int k = 0; k < calls.length; k++) {
                    int c = (k + b) % calls.length;
                    long start = threads.getCurrentThreadCpuTime();
                    for (int n = 0; n < block; n++) {
                        calls[c].run();
                    }
                    micros[c][b] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / block;
                    filtered += c == 0 ? 0 : block;
                }
                missOverBare[b] = micros[1][b] - micros[0][b];
            }
            if (passed[0] != filtered) {
                throw new IllegalStateException("the filter refused " + (filtered - passed[0]) + " of " + filtered + " calls");
            }
            for (int c = 0; c < calls.length; c++) {
                Arrays.sort(micros[c]);
                System.out.printf("%-26s %8.2f µs of CPU a call (median of %d blocks of %d)%n", names[c], micros[c][blocks / 2], blocks, block);
            }
            Arrays.sort(missOverBare);
            System.out.printf("filter miss over bare verification: %.2f µs (median of the blocks' differences; quartiles %.2f–%.2f)%n",
                    missOverBare[blocks / 2], missOverBare[blocks / 4], missOverBare[3 * blocks / 4]);
        }
    }

    /** One call of what is measured. */
    private interface Call {
        void run() throws Exception;
    }
}
