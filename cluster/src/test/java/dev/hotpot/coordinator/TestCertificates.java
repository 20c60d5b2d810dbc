package dev.hotpot.coordinator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for 127.0.0.1, made with the JDK's {@code keytool} and written as the
 * folder {@link CoordinatorTls} reads: {@code key.pem}, {@code cert.pem}, and a {@code ca.pem} of the
 * test's choosing.
 *
 * <p>Threading: static.
 */
final class TestCertificates {
    private static final char[] PASSWORD = "test-only".toCharArray();

    private TestCertificates() {
    }

    /** A new key and self-signed certificate named {@code name}, in folder {@code root/name}, trusting {@code trusted} (null: itself). */
    static Path create(Path root, String name, Path trusted) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path folder = Files.createDirectories(root.resolve(name));
        Path store = root.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD),
                "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        Certificate certificate = keys.getCertificate("node");
        Files.writeString(folder.resolve(CoordinatorTls.KEY), pem("PRIVATE KEY", keys.getKey("node", PASSWORD).getEncoded()));
        Files.writeString(folder.resolve(CoordinatorTls.CERTIFICATE), pem("CERTIFICATE", certificate.getEncoded()));
        Files.copy(trusted == null ? folder.resolve(CoordinatorTls.CERTIFICATE) : trusted.resolve(CoordinatorTls.CERTIFICATE),
                folder.resolve(CoordinatorTls.TRUSTED));
        return folder;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
