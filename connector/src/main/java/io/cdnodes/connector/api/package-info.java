/**
 * What applications see of the CD Nodes resource adapter: the inbound listener interface an MDB
 * implements ({@link io.cdnodes.connector.api.WorkerEventListener}) with the events it receives, and the
 * outbound {@link io.cdnodes.connector.api.WorkerGateway} for pushing frames and packages to workers.
 * Only these types may be used outside the connector module.
 */
package io.cdnodes.connector.api;
