/**
 * One heap shared by many JVMs: primary-backup replication of the redo log, the apply stream that
 * keeps every node's copy coherent, failover and catch-up. The configuration (members, heap
 * catalog, epochs) lives in {@link dev.hotpot.coordinator}; messages travel over
 * {@link dev.hotpot.transport}.
 */
package dev.hotpot.cluster;
