package io.cdnodes.connector.outbound;

import io.cdnodes.connector.inbound.CdProtoResourceAdapter;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;

/** Creates {@link GatewayManagedConnection}s bound to the adapter the container associates. */
public class GatewayManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient CdProtoResourceAdapter adapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager cm) {
        return new GatewayConnectionFactory(this, cm);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new ResourceException("the CD Nodes gateway is only available inside the application server");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        if (adapter == null) {
            throw new ResourceException("the CD Nodes connector is not started");
        }
        return new GatewayManagedConnection(adapter);
    }

    @Override
    public ManagedConnection matchManagedConnections(Set connections, Subject subject, ConnectionRequestInfo info) {
        // every managed connection is alike: any of the candidates will do
        for (Object c : connections) {
            if (c instanceof GatewayManagedConnection gmc) {
                return gmc;
            }
        }
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof CdProtoResourceAdapter cd)) {
            throw new ResourceException("not the CD Nodes adapter: " + ra);
        }
        this.adapter = cd;
    }

    // The factory has no configuration properties, so all instances of it are equal (JCA 6.5.3.1).
    @Override
    public boolean equals(Object o) {
        return o instanceof GatewayManagedConnectionFactory;
    }

    @Override
    public int hashCode() {
        return GatewayManagedConnectionFactory.class.hashCode();
    }
}
