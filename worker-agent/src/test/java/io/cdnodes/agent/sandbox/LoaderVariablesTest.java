package io.cdnodes.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which variables bubblewrap and its helpers must not see. */
class LoaderVariablesTest {

    @Test
    void theLoadersAndTheCLibrarysVariablesAreTakenTheRestStays() {
        Map<String, String> env = new HashMap<>(Map.of("LD_PRELOAD", "a.so", "LD_LIBRARY_PATH", "lib",
                "LD_AUDIT", "b.so", "GCONV_PATH", "g", "GLIBC_TUNABLES", "t", "MALLOC_ARENA_MAX", "2",
                "PATH", "/usr/bin", "PYTHONPATH", "src", "OLD_LD_PRELOAD", "kept"));

        Map<String, String> taken = LoaderVariables.takeFrom(env);

        assertThat(taken).containsOnlyKeys("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH",
                "GLIBC_TUNABLES", "MALLOC_ARENA_MAX");
        assertThat(env).containsOnlyKeys("PATH", "PYTHONPATH", "OLD_LD_PRELOAD");
    }
}
