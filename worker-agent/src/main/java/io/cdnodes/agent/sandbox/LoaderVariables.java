package io.cdnodes.agent.sandbox;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Environment variables that change how a program is loaded or what the C library reads at start: the dynamic
 * loader's {@code LD_*}, {@code GLIBC_TUNABLES}, {@code MALLOC_*}, and the names glibc itself drops for setuid
 * programs ({@code GCONV_PATH}, {@code LOCPATH}, {@code NLSPATH}, ...). Bubblewrap and the helpers it runs before
 * the command ({@code setpriv}, which a root worker's sandbox runs with the capability to change user, and
 * {@code prlimit}, which sets the limits) must never see such a variable from a project: {@code LD_PRELOAD} of a
 * library shipped in the project would run its code in bubblewrap, outside every namespace, as the agent. They
 * are given to the command alone, by {@code env} after {@code prlimit}.
 */
public final class LoaderVariables {

    private static final Set<String> NAMES = Set.of("GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LOCALDOMAIN",
            "LOCPATH", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TZDIR", "GLIBC_TUNABLES");

    private LoaderVariables() {
    }

    /** Whether {@code name} is one of them. */
    public static boolean isLoaderVariable(String name) {
        return name.startsWith("LD_") || name.startsWith("MALLOC_") || NAMES.contains(name);
    }

    /** The loader variables of {@code env}, sorted by name; {@code env} is left without them. */
    static Map<String, String> takeFrom(Map<String, String> env) {
        Map<String, String> taken = new TreeMap<>();
        env.entrySet().removeIf(e -> {
            if (isLoaderVariable(e.getKey())) {
                taken.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        return taken;
    }
}
