/**
 * The resource adapter proper: its settings, the TCP and Unix-socket listeners, one
 * {@link io.cdnodes.connector.inbound.WorkerConnection} per worker (a reader thread that runs the
 * protocol's session rules and a writer thread that drains a bounded queue), and the delivery of
 * {@link io.cdnodes.connector.api.WorkerEvent}s to the activated MDB endpoints.
 */
package io.cdnodes.connector.inbound;
