package io.cdnodes.connector.api;

/** The outbound connection factory of the adapter, declared in the application's deployment descriptor. */
public interface WorkerGatewayFactory {

    /** A gateway handle; close it when done. */
    WorkerGateway getGateway();
}
