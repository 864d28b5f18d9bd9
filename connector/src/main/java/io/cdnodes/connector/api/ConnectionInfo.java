package io.cdnodes.connector.api;

/**
 * One established worker connection as the adapter sees it.
 *
 * @param connectionId  the connection's id
 * @param transport     TCP or Unix socket
 * @param localAddress  the coordinator's end
 * @param remoteAddress the worker's end
 * @param workerName    the name the worker gave
 */
public record ConnectionInfo(String connectionId, Transport transport, String localAddress, String remoteAddress,
                             String workerName) {
}
