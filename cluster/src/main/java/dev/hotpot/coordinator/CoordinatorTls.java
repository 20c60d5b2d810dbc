package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The certificates of the coordinator's mutual TLS, from a folder that holds, in PEM:
 * {@value #KEY} (this node's private key, PKCS#8, unencrypted), {@value #CERTIFICATE} (its
 * certificate chain, whose names must include the host it is reached at) and {@value #TRUSTED}
 * (the certificates it accepts from the others). Every replica and every client presents its own
 * certificate and accepts only those signed by a trusted one.
 *
 * <p>Threading: immutable.
 */
public record CoordinatorTls(Path key, Path certificate, Path trusted) {
    public static final String KEY = "key.pem";
    public static final String CERTIFICATE = "cert.pem";
    public static final String TRUSTED = "ca.pem";

    /**
     * The certificates in {@code folder}, checked to exist.
     *
     * @param setting names the setting that gave the folder, for errors
     */
    public static CoordinatorTls inFolder(Path folder, String setting) {
        CoordinatorTls tls = new CoordinatorTls(folder.resolve(KEY), folder.resolve(CERTIFICATE), folder.resolve(TRUSTED));
        for (Path file : new Path[] {tls.key, tls.certificate, tls.trusted}) {
            if (!Files.isReadable(file)) {
                throw new ConfigurationException(setting + "=" + folder + " has no readable " + file.getFileName()
                        + ": the folder must hold " + KEY + " (this node's private key, PKCS#8 PEM), " + CERTIFICATE
                        + " (its certificate chain) and " + TRUSTED + " (the certificates it trusts)");
            }
        }
        return tls;
    }
}
