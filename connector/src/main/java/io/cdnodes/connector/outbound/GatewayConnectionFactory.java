package io.cdnodes.connector.outbound;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.connector.api.WorkerGatewayFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serializable;
import javax.naming.Reference;

/** The object applications look up: hands out gateway handles through the container's pool. */
public class GatewayConnectionFactory implements WorkerGatewayFactory, Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    private final transient GatewayManagedConnectionFactory mcf;
    private final transient ConnectionManager cm;
    private Reference reference;

    GatewayConnectionFactory(GatewayManagedConnectionFactory mcf, ConnectionManager cm) {
        this.mcf = mcf;
        this.cm = cm;
    }

    @Override
    public WorkerGateway getGateway() {
        try {
            return (WorkerGateway) cm.allocateConnection(mcf, null);
        } catch (ResourceException e) {
            throw new IllegalStateException("no CD Nodes gateway: " + e.getMessage(), e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
