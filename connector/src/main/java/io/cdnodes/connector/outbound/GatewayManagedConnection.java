package io.cdnodes.connector.outbound;

import io.cdnodes.connector.inbound.CdProtoResourceAdapter;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/** A pooled "physical" connection: really a reference to the adapter, so creating one costs nothing. */
public class GatewayManagedConnection implements ManagedConnection {

    private final CdProtoResourceAdapter adapter;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<GatewayHandle> handles = new CopyOnWriteArrayList<>();
    private PrintWriter logWriter;

    GatewayManagedConnection(CdProtoResourceAdapter adapter) {
        this.adapter = adapter;
    }

    CdProtoResourceAdapter adapter() {
        return adapter;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        GatewayHandle handle = new GatewayHandle(this);
        handles.add(handle);
        return handle;
    }

    /** Called by a handle's close(): tells the pool this managed connection can be reused. */
    void handleClosed(GatewayHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        listeners.forEach(l -> l.connectionClosed(event));
    }

    @Override
    public void destroy() {
        handles.forEach(GatewayHandle::invalidate);
        handles.clear();
    }

    @Override
    public void cleanup() {
        handles.forEach(GatewayHandle::invalidate);
        handles.clear();
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof GatewayHandle handle)) {
            throw new ResourceException("not a gateway handle: " + connection);
        }
        handle.reassociate(this);
        handles.add(handle);
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("the CD Nodes gateway is not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("the CD Nodes gateway is not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "CD Nodes workers";
            }

            @Override
            public String getEISProductVersion() {
                return "CDProto 1";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return "";
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
