package io.cdnodes.coordinator.workers;

import io.cdnodes.connector.api.WorkerGateway;
import io.cdnodes.connector.api.WorkerGatewayFactory;
import jakarta.enterprise.context.ApplicationScoped;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The way to the resource adapter's connections: the connection factory bound at {@value #NAME} (web.xml's
 * {@code <connection-factory>}), looked up the first time it is used rather than injected with {@code @Resource}.
 * On Payara Server the application's own embedded adapter defines that factory while the application deploys, after
 * CDI has validated the application's injection points; an injected reference would make the deployment fail.
 */
@ApplicationScoped
public class WorkerGateways {

    /** Where web.xml defines the adapter's connection factory. */
    public static final String NAME = "java:app/cdnodes/WorkerGateway";

    private volatile WorkerGatewayFactory factory;

    /** A connection to the adapter; close it when done (try-with-resources). */
    public WorkerGateway open() {
        return factory().getGateway();
    }

    private WorkerGatewayFactory factory() {
        WorkerGatewayFactory f = factory;
        if (f == null) {
            try {
                f = InitialContext.doLookup(NAME);
            } catch (NamingException e) {
                throw new IllegalStateException("the CDProto adapter's connection factory is not bound at " + NAME
                        + " (is the resource adapter deployed?)", e);
            }
            factory = f;
        }
        return f;
    }
}
