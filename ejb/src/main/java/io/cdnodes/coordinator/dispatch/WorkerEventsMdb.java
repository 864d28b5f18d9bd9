package io.cdnodes.coordinator.dispatch;

import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.connector.api.WorkerEventListener;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * Receives worker events from the CD Nodes resource adapter (selected in {@code glassfish-ejb-jar.xml}) and
 * hands them to the {@link Dispatcher}. Nothing else happens here; whatever the dispatcher throws is
 * logged and the connection carries on.
 */
@MessageDriven(messageListenerInterface = WorkerEventListener.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class WorkerEventsMdb implements WorkerEventListener {

    private static final System.Logger LOG = System.getLogger(WorkerEventsMdb.class.getName());

    @EJB
    private Dispatcher dispatcher;

    @Override
    public void onWorkerEvent(WorkerEvent event) {
        try {
            if (event instanceof WorkerEvent.Connected c) {
                dispatcher.workerConnected(c);
            } else if (event instanceof WorkerEvent.Received r) {
                dispatcher.frameReceived(r.connectionId(), r.frame());
            } else if (event instanceof WorkerEvent.Disconnected d) {
                dispatcher.workerGone(d.connectionId(), d.reason());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "conn=" + event.connectionId() + ": handling "
                    + event.getClass().getSimpleName() + " failed", e);
        }
    }
}
