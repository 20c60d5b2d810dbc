package dev.hotpot.coordinator;

import dev.hotpot.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Peer lists and settings: what is accepted, and errors that name the mistake. */
class PeerTest {
    private static String error(String text) {
        return assertThrows(ConfigurationException.class, () -> Peer.parse(text)).getMessage();
    }

    @Test
    void parsesAListWithSpacesAndATrailingSeparator() {
        List<Peer> peers = Peer.parse(" n1@10.0.0.1:7101 ; n2@host-2.example:7101;n3@[::1]:7201; ");
        assertEquals(List.of(new Peer("n1", "10.0.0.1", 7101), new Peer("n2", "host-2.example", 7101),
                new Peer("n3", "[::1]", 7201)), peers);
        assertEquals(7102, peers.getFirst().coordinatorPort());
        assertEquals("n1@10.0.0.1:7101", peers.getFirst().toString());
        assertEquals(List.of(new Peer("solo", "localhost", 1)), Peer.parse("solo@localhost:1"));
    }

    @Test
    void badEntriesAreNamed() {
        assertTrue(error("").contains("empty"));
        assertTrue(error("n1@h:1;n2@h:3;n3").contains("entry 3 'n3' is not id@host:port"));
        assertTrue(error("n1@h:1;;n3@h:5").contains("entry 2 '' is not id@host:port"));
        assertTrue(error("n1@h:x").contains("port=x"));
        assertTrue(error("n1@h:65535").contains("port=65535"));
        assertTrue(error("n 1@h:7101").contains("id=n 1"));
        assertTrue(error("n1@h/x:7101").contains("host=h/x"));
    }

    @Test
    void duplicatesAndClashingPortsAreRefused() {
        assertTrue(error("n1@a:7101;n1@b:7101;n3@c:7101").contains("duplicate peer id=n1"));
        String same = error("n1@a:7101;n2@a:7101;n3@c:7101");
        assertTrue(same.contains("a:7101"), same);
        String adjacent = error("n1@a:7101;n2@a:7102;n3@c:7101");
        assertTrue(adjacent.contains("a:7102") && adjacent.contains("at least 2 apart"), adjacent);
        assertEquals(3, Peer.parse("n1@a:7101;n2@a:7103;n3@a:7105").size());
    }

    @Test
    void onlyOddGroupsUpToFiveAreAccepted() {
        assertTrue(error("n1@a:1;n2@a:3").contains("1, 3 or 5 peers, got 2"));
        assertEquals(5, Peer.parse("a@h:1;b@h:3;c@h:5;d@h:7;e@h:9").size());
    }

    @Test
    void settingsRefuseEmptyOrInvertedTimes() {
        CoordinatorSettings defaults = CoordinatorSettings.defaults();
        assertEquals(Duration.ofMillis(500), defaults.heartbeatInterval());
        assertEquals(Duration.ofMillis(100), defaults.checkInterval());
        assertEquals(Duration.ofMillis(30), defaults.withLease(Duration.ofMillis(300)).checkInterval());
        assertThrows(ConfigurationException.class, () -> defaults.withLease(Duration.ZERO));
        assertThrows(ConfigurationException.class, () -> defaults.withSnapshotInterval(0));
        assertThrows(ConfigurationException.class, () -> new CoordinatorSettings(Duration.ofSeconds(1),
                Duration.ofMillis(600), Duration.ofMillis(300), Duration.ofSeconds(1), 10, null));
    }
}
