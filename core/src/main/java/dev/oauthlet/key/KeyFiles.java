package dev.oauthlet.key;

import dev.oauthlet.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/**
 * Reads the keys of {@code signing.key-file}: PEM or PKCS#12. The file holds one private key (or,
 * in PKCS#12, one HS256 secret), which signs; every further public key or certificate in it is a
 * previous key that still verifies, which is how an operator rotates by hand.
 */
final class KeyFiles {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** DER prefix of a PKCS#8 wrapper around a PKCS#1 RSA key, up to the octet string's length. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private KeyFiles() {
    }

    /** A file's keys: the signing pair and the verification-only public keys. */
    record Contents(Key signing, PublicKey publicKey, List<PublicKey> previous) {
    }

    static Contents read(Path file, String password, SigningAlgorithm algorithm) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw error(file, "cannot be read (" + e.getMessage() + ")");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (algorithm == SigningAlgorithm.HS256 && text.contains("-----BEGIN ")) {
            throw error(file, "HS256 secrets come from PKCS#12 files only (make one with: keytool -genseckey -keyalg HmacSHA256 "
                    + "-keysize 256 -storetype PKCS12 -keystore FILE.p12)");
        }
        Contents c = text.contains("-----BEGIN ") ? pem(file, text, algorithm) : pkcs12(file, bytes, password, algorithm);
        String problem = algorithm.checkKey(c.signing());
        if (problem != null) {
            throw error(file, problem + " (signing.algorithm is " + algorithm + ")");
        }
        if (c.publicKey() != null && !belongTogether(algorithm, (PrivateKey) c.signing(), c.publicKey())) {
            throw error(file, "the public key or certificate does not belong to the private key");
        }
        return c;
    }

    private static Contents pem(Path file, String text, SigningAlgorithm algorithm) {
        PrivateKey privateKey = null;
        List<PublicKey> publicKeys = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw error(file, "the " + type + " block is not valid base64");
            }
            try {
                switch (type) {
                    case "PRIVATE KEY", "RSA PRIVATE KEY" -> {
                        if (privateKey != null) {
                            throw error(file, "holds more than one private key; keep the one that signs (older ones as PUBLIC KEY blocks)");
                        }
                        byte[] pkcs8 = type.equals("RSA PRIVATE KEY") ? wrapPkcs1(der) : der;
                        // Never HS256 here: a PEM file with an HS256 algorithm was refused above.
                        privateKey = (PrivateKey) algorithm.decodePrivate(pkcs8);
                    }
                    case "PUBLIC KEY" -> publicKeys.add(decodePublic(der));
                    case "CERTIFICATE" -> publicKeys.add(CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey());
                    case "EC PRIVATE KEY" -> throw error(file, "holds a SEC1 EC key; convert it to PKCS#8 with: "
                            + "openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out key-pkcs8.pem");
                    case "ENCRYPTED PRIVATE KEY" -> throw error(file, "holds an encrypted PEM key; use a PKCS#12 file with "
                            + "signing.key-password for a protected key, or an unencrypted PKCS#8 PEM");
                    default -> throw error(file, "has a PEM block of type '" + type + "' (known: PRIVATE KEY, RSA PRIVATE KEY, "
                            + "PUBLIC KEY, CERTIFICATE)");
                }
            } catch (GeneralSecurityException e) {
                throw error(file, "the " + type + " block cannot be decoded as a key for " + algorithm + " (" + e.getMessage() + ")");
            }
        }
        if (privateKey == null) {
            throw error(file, "holds no private key (a PEM file needs a -----BEGIN PRIVATE KEY----- block)");
        }
        PublicKey own = null;
        List<PublicKey> previous = new ArrayList<>();
        for (PublicKey p : publicKeys) {
            if (own == null && SigningAlgorithm.forKey(p) == algorithm && belongTogether(algorithm, privateKey, p)) {
                own = p;
            } else {
                previous.add(p);
            }
        }
        if (own == null && privateKey instanceof RSAPrivateCrtKey rsa) {
            own = derivePublic(rsa);
        }
        if (own == null) {
            throw error(file, "holds no public key for its private key; append it with: openssl pkey -in KEY.pem -pubout >> KEY.pem");
        }
        return new Contents(privateKey, own, previous);
    }

    private static Contents pkcs12(Path file, byte[] bytes, String password, SigningAlgorithm algorithm) {
        char[] pw = password == null ? new char[0] : password.toCharArray();
        KeyStore ks;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
        } catch (IOException | GeneralSecurityException e) {
            String hint = e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")
                    ? "wrong signing.key-password?" : "is it PKCS#12 or PEM?";
            throw error(file, "cannot be read as PKCS#12 (" + hint + ")");
        }
        Key signing = null;
        PublicKey own = null;
        List<PublicKey> previous = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    if (signing != null) {
                        throw error(file, "holds more than one key entry; keep the one that signs (older ones as certificate entries)");
                    }
                    signing = ks.getKey(alias, pw);
                    if (ks.getCertificate(alias) != null) {
                        own = ks.getCertificate(alias).getPublicKey();
                    }
                } else if (ks.isCertificateEntry(alias)) {
                    previous.add(ks.getCertificate(alias).getPublicKey());
                }
            }
        } catch (GeneralSecurityException e) {
            throw error(file, "a key cannot be read (wrong signing.key-password?)");
        }
        if (signing == null) {
            throw error(file, "holds no key entry");
        }
        if (signing instanceof SecretKey) {
            if (!previous.isEmpty()) {
                throw error(file, "HS256 secrets are never published; the file must hold the secret alone");
            }
            return new Contents(signing, null, List.of());
        }
        if (own == null && signing instanceof RSAPrivateCrtKey rsa) {
            own = derivePublic(rsa);
        }
        if (own == null) {
            throw error(file, "the key entry has no certificate");
        }
        return new Contents(signing, own, previous);
    }

    private static PublicKey decodePublic(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String type : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static PublicKey derivePublic(RSAPrivateCrtKey k) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs a probe with the private key and verifies it with the public one. */
    static boolean belongTogether(SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] probe = "oauthlet key-pair probe".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm.jcaSignature());
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm.jcaSignature());
            v.initVerify(publicKey);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PKCS#1 {@code RSAPrivateKey} inside a PKCS#8 {@code PrivateKeyInfo}, so the JDK's KeyFactory reads it. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + RSA_ALGORITHM_ID.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALGORITHM_ID, 0, body, version.length, RSA_ALGORITHM_ID.length);
        System.arraycopy(octet, 0, body, version.length + RSA_ALGORITHM_ID.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len = n < 0x80 ? new byte[]{(byte) n}
                : n < 0x100 ? new byte[]{(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }

    private static ConfigException error(Path file, String message) {
        return new ConfigException("signing.key-file: " + file + ": " + message);
    }
}
