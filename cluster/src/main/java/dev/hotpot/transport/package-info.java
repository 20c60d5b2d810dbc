/**
 * Messages between the nodes of a cluster: authenticated connections that carry ordered one-way
 * frames (the redo log a primary ships to its backups) and request/response (commit requests to
 * the primary). {@link dev.hotpot.transport.Transport} is shaped after the operations of an RDMA
 * verbs transport so that one can replace {@link dev.hotpot.transport.TcpTransport}; the wire
 * format is in {@link dev.hotpot.transport.FrameDescriptor} and
 * {@link dev.hotpot.transport.HandshakeDescriptor}.
 */
package dev.hotpot.transport;
