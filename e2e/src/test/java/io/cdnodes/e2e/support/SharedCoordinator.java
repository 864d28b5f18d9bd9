package io.cdnodes.e2e.support;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one coordinator shared by the whole test run (Payara Micro boots once), stopped when
 * the run ends. It requires the worker token {@link Coordinator#TOKEN} and workers that sandbox their runs
 * ({@code CDNODES_REQUIRE_SANDBOX}). Use with {@code @ExtendWith(SharedCoordinator.class)} and a {@link Coordinator} parameter.
 * A {@link FakeGitHub}, started before the coordinator and given to it as {@code CDNODES_GITHUB_API}, is a
 * parameter too; its two loopback ports are the only hosts the coordinator may fetch from besides public
 * ones ({@code CDNODES_FETCH_ALLOW_HOSTS}), and {@link Paths#repositories()} the only folder {@code file://}
 * repositories may lie in ({@code CDNODES_FETCH_FILE_ROOTS}).
 */
public final class SharedCoordinator implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedCoordinator.class);

    /** The closeable wrapper JUnit stores at the root, closed after the last test. */
    private record Holder(Coordinator coordinator, FakeGitHub github) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            coordinator.close();
            github.close();
        }

        static Holder start() {
            FakeGitHub github = FakeGitHub.start();
            // every worker of the shared coordinator must sandbox its runs: the tests all run sandboxed
            return new Holder(new Coordinator(Map.of("CDNODES_WORKER_TOKEN", Coordinator.TOKEN,
                    "CDNODES_GITHUB_API", github.apiUrl(), "CDNODES_FETCH_ALLOW_HOSTS", github.allowHosts(),
                    "CDNODES_FETCH_FILE_ROOTS", Paths.repositories().toString(),
                    "CDNODES_REQUIRE_SANDBOX", "true")).start(), github);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Coordinator.class || p.getParameter().getType() == FakeGitHub.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Holder h = c.getRoot().getStore(NS).getOrComputeIfAbsent("coordinator", k -> Holder.start(), Holder.class);
        return p.getParameter().getType() == FakeGitHub.class ? h.github() : h.coordinator();
    }
}
