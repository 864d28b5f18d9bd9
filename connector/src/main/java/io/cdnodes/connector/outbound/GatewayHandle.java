package io.cdnodes.connector.outbound;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import java.nio.file.Path;
import java.util.List;

/** The application's handle: a {@link WorkerGateway} delegating to the adapter of its managed connection. */
final class GatewayHandle implements WorkerGateway {

    private volatile GatewayManagedConnection managed;

    GatewayHandle(GatewayManagedConnection managed) {
        this.managed = managed;
    }

    void reassociate(GatewayManagedConnection mc) {
        this.managed = mc;
    }

    void invalidate() {
        this.managed = null;
    }

    private GatewayManagedConnection managed() {
        GatewayManagedConnection mc = managed;
        if (mc == null) {
            throw new IllegalStateException("this WorkerGateway handle is closed");
        }
        return mc;
    }

    @Override
    public boolean send(String connectionId, Frame frame) {
        return managed().adapter().send(connectionId, frame);
    }

    @Override
    public boolean sendPackage(String connectionId, String packageId, Path file) {
        return managed().adapter().sendPackage(connectionId, packageId, file);
    }

    @Override
    public void disconnect(String connectionId, ErrorFrame error) {
        managed().adapter().disconnect(connectionId, error);
    }

    @Override
    public List<ConnectionInfo> connections() {
        return managed().adapter().connections();
    }

    @Override
    public List<String> listenAddresses() {
        return managed().adapter().listenAddresses();
    }

    @Override
    public void close() {
        GatewayManagedConnection mc = managed;
        if (mc != null) {
            managed = null;
            mc.handleClosed(this);
        }
    }
}
