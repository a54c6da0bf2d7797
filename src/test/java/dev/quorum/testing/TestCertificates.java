package dev.quorum.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed, made with openssl in a folder, as an operator
 * would for a Redis on their own network.
 *
 * @param ca         the CA's certificate (PEM): what {@code redis.tls_ca_file} points to
 * @param serverCert the server's certificate (PEM), for the DNS name given
 * @param serverKey  the server's private key (PEM)
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey) {

    public static TestCertificates create(Path dir, String dnsName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
        Path caKey = dir.resolve("ca.key");
        Path request = dir.resolve("server.csr");
        Path extensions = dir.resolve("server.ext");
        Files.writeString(extensions, "subjectAltName=DNS:" + dnsName + "\n");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", c.ca().toString(), "-days", "2", "-subj", "/CN=Quorum Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", c.serverKey().toString(), "-out", request.toString(), "-subj", "/CN=" + dnsName);
        openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", c.ca().toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", c.serverCert().toString(), "-days", "2", "-extfile", extensions.toString());
        return c;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl " + args[0] + " failed: " + out);
    }
}
