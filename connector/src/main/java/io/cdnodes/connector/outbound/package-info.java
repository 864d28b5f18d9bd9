/**
 * The outbound side of the adapter: a JCA connection factory whose connections are
 * {@link io.cdnodes.connector.api.WorkerGateway} handles. A handle holds no socket of its own; it pushes
 * through the adapter's worker connections. No transactions: a frame sent is sent.
 */
package io.cdnodes.connector.outbound;
