package io.cdnodes.e2e.support;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one coordinator shared by the whole test run (Payara Micro boots once), stopped when
 * the run ends. It requires the worker token {@link Coordinator#TOKEN}. Use with {@code @ExtendWith(SharedCoordinator.class)} and a {@link Coordinator} parameter.
 */
public final class SharedCoordinator implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedCoordinator.class);

    /** The closeable wrapper JUnit stores at the root, closed after the last test. */
    private record Holder(Coordinator coordinator) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            coordinator.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Coordinator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot().getStore(NS).getOrComputeIfAbsent("coordinator",
                k -> new Holder(new Coordinator(Map.of("CDNODES_WORKER_TOKEN", Coordinator.TOKEN)).start()),
                Holder.class).coordinator();
    }
}
