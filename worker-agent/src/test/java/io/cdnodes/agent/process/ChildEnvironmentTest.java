package io.cdnodes.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What of the agent's environment reaches a project's processes. */
class ChildEnvironmentTest {

    private static Map<String, String> agent() {
        Map<String, String> env = new HashMap<>();
        for (String name : new String[] {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED", "CDNODES_WORKER_TOKEN",
                "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "PIP_INDEX_URL", "https_proxy", "HTTPS_PROXY", "SSH_AUTH_SOCK"}) {
            env.put(name, "value-of-" + name);
        }
        return env;
    }

    @Test
    void aRunGetsWhatProgramsNeedAndNoneOfTheAgentsSecrets() {
        Map<String, String> env = agent();

        ChildEnvironment.PROJECT.keepIn(env);

        assertThat(env).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED");
    }

    @Test
    void anInstallAlsoGetsPipsSettingsAndTheProxies() {
        Map<String, String> env = agent();

        ChildEnvironment.INSTALL.keepIn(env);

        assertThat(env).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED", "PIP_INDEX_URL",
                "https_proxy", "HTTPS_PROXY");
    }
}
