package io.cdnodes.connector.inbound;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

/**
 * Activation of an MDB implementing {@link io.cdnodes.connector.api.WorkerEventListener}. It has no
 * properties of its own: listener addresses and limits belong to the adapter, since every endpoint sees
 * every worker. The RA is chosen in {@code glassfish-ejb-jar.xml}, not by a property here.
 */
public class CdProtoActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;

    @Override
    public void validate() throws InvalidPropertyException {
        // nothing to validate: the adapter's settings are validated when it starts
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.resourceAdapter = ra;
    }
}
