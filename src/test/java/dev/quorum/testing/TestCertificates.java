package dev.quorum.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed, made with openssl in a folder, as an operator
 * would for a Redis on their own network.
 *
 * @param ca         the CA's certificate (PEM): what {@code redis.tls_ca_file} points to
 * @param serverCert the server's certificate (PEM), for the DNS name or IP address given
 * @param serverKey  the server's private key (PEM, PKCS#8)
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey) {

    /** A new CA in {@code dir} and a certificate it signed for {@code name}: a DNS name, or an IP address (an IP SAN, which TLS clients match an address against). */
    public static TestCertificates create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.crt").toString(), "-days", "2", "-subj", "/CN=Quorum Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key")).sign(name);
    }

    /** Another server certificate from the same CA, for {@code name} (its files named after it, beside this one's). */
    public TestCertificates another(String name) throws IOException, InterruptedException {
        Path dir = ca.getParent();
        String file = name.replaceAll("[^A-Za-z0-9.-]", "_");
        return new TestCertificates(ca, dir.resolve(file + ".crt"), dir.resolve(file + ".key")).sign(name);
    }

    private TestCertificates sign(String name) throws IOException, InterruptedException {
        Path dir = ca.getParent();
        Path request = Path.of(serverCert + ".csr");
        Path extensions = Path.of(serverCert + ".ext");
        boolean address = name.matches("[0-9.]+") || name.contains(":");
        Files.writeString(extensions, "subjectAltName=" + (address ? "IP:" : "DNS:") + name + "\n");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", serverKey.toString(), "-out", request.toString(), "-subj", "/CN=" + name);
        openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey", dir.resolve("ca.key").toString(),
                "-CAcreateserial", "-out", serverCert.toString(), "-days", "2", "-extfile", extensions.toString());
        return this;
    }

    /** The server side of TLS with this certificate, for a fake server of the test's own on 127.0.0.1. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
        String pem = Files.readString(serverKey).replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Certificate cert;
        try (var in = Files.newInputStream(serverCert)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password, new Certificate[]{cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** The client side: trusts this CA only (what a test's own RESP client uses to reach a TLS-only server). */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl " + args[0] + " failed: " + out);
    }
}
