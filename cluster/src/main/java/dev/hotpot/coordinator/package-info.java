/**
 * The coordinator: the cluster's configuration as a replicated state machine on Apache Ratis, run by
 * the 1, 3 or 5 nodes of the peer list ({@link dev.hotpot.coordinator.CoordinatorServer}). It holds
 * who the members are, whether each is live, and for each heap its primary, in-sync backups and
 * epoch ({@link dev.hotpot.coordinator.ClusterState}); never page data. Nodes use it through
 * {@link dev.hotpot.coordinator.CoordinatorClient}.
 *
 * <p>Commands go through the Ratis log and are applied by every replica alike
 * ({@code Transitions}); a command that does not fit the state is refused, never an error of the
 * replica. Heartbeats are read-only messages to the leader, which reports members silent for longer
 * than their lease as failed, and promotes for each heap the live in-sync backup with the highest
 * reported durable position ({@code FailureDetector}).
 *
 * <p>Formats: messages and log entries ({@code MessageCodec}), the state ({@code StateCodec}) and
 * snapshot files ({@code SnapshotFile}), each with a format number; every node of a cluster must
 * run the same formats.
 */
package dev.hotpot.coordinator;
