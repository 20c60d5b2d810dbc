package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With certificates, the coordinator's replicas talk mutual TLS among themselves and with clients:
 * a client with a trusted certificate works; one without TLS, or with a certificate the replicas
 * do not trust, gets nothing done, and the state it tried to change is unchanged.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CoordinatorTlsTest {
    private static final CoordinatorSettings PLAIN = CoordinatorSettings.defaults()
            .withRequestTimeout(Duration.ofSeconds(3));

    @TempDir
    Path root;

    @Test
    void onlyClientsWithATrustedCertificateGetIn() throws Exception {
        Path cluster = TestCertificates.create(root, "cluster", null);
        Path stranger = TestCertificates.create(root, "stranger", cluster);
        CoordinatorSettings tls = PLAIN.withTls(CoordinatorTls.inFolder(cluster, "tlsDir"));
        try (TestCluster replicas = TestCluster.of(3, root.resolve("data"), tls).startAll()) {
            CoordinatorClient trusted = replicas.client();
            trusted.awaitReady(Duration.ofSeconds(60));
            trusted.join(Member.joining("a", "127.0.0.1", 9001, false));
            ClusterState before = trusted.state();

            try (CoordinatorClient plain = new CoordinatorClient(replicas.peers, PLAIN)) {
                assertThrows(CoordinatorUnavailableException.class,
                        () -> plain.join(Member.joining("b", "127.0.0.1", 9002, false)), "a client without TLS");
            }
            try (CoordinatorClient untrusted = new CoordinatorClient(replicas.peers,
                    PLAIN.withTls(CoordinatorTls.inFolder(stranger, "tlsDir")))) {
                assertThrows(CoordinatorUnavailableException.class,
                        () -> untrusted.join(Member.joining("c", "127.0.0.1", 9003, false)), "an untrusted certificate");
            }
            ClusterState after = trusted.state();
            assertEquals(before.members().keySet(), after.members().keySet(), "neither joined a member");
        }
    }

    @Test
    void aFolderWithoutTheCertificatesIsRefusedNamingWhatIsMissing() {
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> CoordinatorTls.inFolder(root, "hotpot.tlsDir"));
        assertTrue(missing.getMessage().contains("hotpot.tlsDir=" + root) && missing.getMessage().contains("key.pem"),
                missing.getMessage());
    }
}
