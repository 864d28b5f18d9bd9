package io.cdnodes.agent.process;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What of the agent's own environment a process started from a project sees. Only what programs need to run as
 * they would in a shell, never what the agent was given for itself: {@code CDNODES_*} (the worker token), cloud
 * credentials, a {@code GITHUB_TOKEN}, anything else an operator's environment holds. A run sees where programs
 * are, its language and time zone, the terminal and Python's own settings; a dependency install also pip's
 * settings (an index URL may hold a password: installs run a project's setup code, but they need it) and the
 * proxies. What the evaluation sets ({@code env}) and what the agent sets for the run come on top.
 */
public enum ChildEnvironment {

    /** Collections, runs, warm starts and the declaration scanner. */
    PROJECT,
    /** Installing a project's test dependencies. */
    INSTALL;

    private static final Set<String> NAMES = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ",
            "TERM", "SSL_CERT_FILE", "SSL_CERT_DIR", "VIRTUAL_ENV");
    private static final Set<String> PROXIES = Set.of("http_proxy", "https_proxy", "no_proxy", "all_proxy");

    /** Removes from {@code env} every variable this kind of process does not get. */
    public void keepIn(Map<String, String> env) {
        env.keySet().removeIf(name -> !passes(name));
    }

    /** Whether the agent's variable {@code name} reaches this kind of process. */
    public boolean passes(String name) {
        if (NAMES.contains(name) || name.startsWith("LC_") || name.startsWith("PYTHON")) {
            return true;
        }
        return this == INSTALL && (name.startsWith("PIP_") || name.equals("REQUESTS_CA_BUNDLE")
                || PROXIES.contains(name.toLowerCase(Locale.ROOT)));
    }
}
