package io.cdnodes.connector.api;

/**
 * The message listener interface of the CD Nodes resource adapter: an MDB implementing it receives every
 * {@link WorkerEvent}. Events of one connection arrive in order on one thread at a time; events of
 * different connections arrive concurrently. An exception thrown here is logged by the adapter and the
 * connection carries on.
 */
public interface WorkerEventListener {

    void onWorkerEvent(WorkerEvent event);
}
