package dev.quorum.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** A GitHub App's RSA key pair for tests, and its private key as the PEM files GitHub (PKCS#1) or openssl (PKCS#8) write. */
public record AppKeys(KeyPair pair) {
    public static AppKeys generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new AppKeys(g.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path writePkcs8(Path dir) throws IOException {
        return write(dir.resolve("app-pkcs8.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** GitHub's download: the PKCS#1 RSAPrivateKey, i.e. the OCTET STRING inside the JDK's PKCS#8 encoding. */
    public Path writePkcs1(Path dir) throws IOException {
        byte[] der = pair.getPrivate().getEncoded();
        int i = 1 + lengthBytes(der, 1); // past the outer SEQUENCE's tag and length
        i += 3 + 15;                     // version INTEGER 0, rsaEncryption AlgorithmIdentifier
        if (der[i] != 0x04) throw new IllegalStateException("unexpected PKCS#8 layout");
        int lengthStart = i + 1;
        int contentStart = lengthStart + lengthBytes(der, lengthStart);
        return write(dir.resolve("app-pkcs1.pem"), "RSA PRIVATE KEY", Arrays.copyOfRange(der, contentStart, der.length));
    }

    private static int lengthBytes(byte[] der, int at) {
        return (der[at] & 0x80) == 0 ? 1 : 1 + (der[at] & 0x7f);
    }

    private static Path write(Path file, String label, byte[] der) throws IOException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n");
    }
}
