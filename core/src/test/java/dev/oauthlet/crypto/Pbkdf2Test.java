package dev.oauthlet.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** Oauthlet's PBKDF2-HMAC-SHA256 gives what the standard and the JDK give, so every stored hash stays valid. */
class Pbkdf2Test {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void sha256WhenRfc7914VectorsThenTheirFirstBlock() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 with dkLen 64; a 32-byte output is its first block.
        assertArrayEquals(hex("55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc"),
                Pbkdf2.sha256("passwd".getBytes(StandardCharsets.US_ASCII), "salt".getBytes(StandardCharsets.US_ASCII), 1));
        assertArrayEquals(hex("4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9 64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56"),
                Pbkdf2.sha256("Password".getBytes(StandardCharsets.US_ASCII), "NaCl".getBytes(StandardCharsets.US_ASCII), 80_000));
    }

    @Test
    void sha256WhenAnyPasswordSaltAndCountThenTheJdksPbkdf2WithHmacSha256() throws Exception {
        Random random = new Random(7914);
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        for (int i = 0; i < 300; i++) {
            // Lengths around the 64-byte block, where HMAC hashes a longer key first; non-ASCII characters too.
            StringBuilder pw = new StringBuilder();
            int length = 1 + random.nextInt(100);
            for (int c = 0; c < length; c++) {
                pw.append(random.nextInt(8) == 0 ? (char) (0xa0 + random.nextInt(0x2000)) : (char) (0x21 + random.nextInt(94)));
            }
            byte[] salt = new byte[1 + random.nextInt(40)];
            random.nextBytes(salt);
            int iterations = 1 + random.nextInt(40);
            byte[] expected = jdk.generateSecret(new PBEKeySpec(pw.toString().toCharArray(), salt, iterations, 256)).getEncoded();
            assertArrayEquals(expected, Pbkdf2.sha256(pw.toString().getBytes(StandardCharsets.UTF_8), salt, iterations),
                    "password " + pw + ", " + salt.length + "-byte salt, " + iterations + " iterations");
        }
    }

    @Test
    void sha256WhenStoredDemoHashThenItStillMatches() {
        // A hash written by an earlier version (the JDK's PBKDF2): the demo configuration's backoffice-app.
        assertEquals(true, SecretHasher.matches("backoffice-secret",
                "pbkdf2-sha256$600000$0Eejzbyw8_wyDHAXqYv9ow$uk6mPC20E8xW52Ie5IFRU9jXnSVE6NNHxmBa6perQX4"));
        assertEquals(false, SecretHasher.matches("backoffice-secreT",
                "pbkdf2-sha256$600000$0Eejzbyw8_wyDHAXqYv9ow$uk6mPC20E8xW52Ie5IFRU9jXnSVE6NNHxmBa6perQX4"));
    }
}
