package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.WorkerEvent;

/** Where a connection hands its events: the adapter's endpoint dispatcher in production, a list in tests. */
@FunctionalInterface
interface EventSink {

    /** Delivers synchronously on the calling connection's reader thread. Must not throw. */
    void deliver(WorkerEvent event);
}
