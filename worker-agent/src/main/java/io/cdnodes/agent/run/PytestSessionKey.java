package io.cdnodes.agent.run;

import io.cdnodes.protocol.frame.Assign;
import java.util.List;
import java.util.Map;

/**
 * What a serving pytest process was started for: assignments with equal keys may share it. The interpreter
 * is not part of it because it follows from these: the package's declarations decide which environment an
 * {@code install_deps} run gets, and the worker's own Python does not change while it runs.
 *
 * <p>One key is one project of one evaluation: what a single pytest run would cover. Another evaluation of the
 * same package gets a pytest of its own, so that nothing the first left behind (module state, files written
 * into the project's copy) changes what the second reports.
 *
 * @param evaluationId the evaluation
 * @param projectId    the project within it
 * @param packageId  the package whose private copy the process runs in
 * @param pytestArgs the user's arguments, which decided what was collected
 * @param env        the user's variables, which the process was started with
 * @param directives how the run was prepared ({@code install_deps})
 */
record PytestSessionKey(long evaluationId, long projectId, String packageId, List<String> pytestArgs,
                  Map<String, String> env, Map<String, String> directives) {

    static PytestSessionKey of(Assign assign) {
        return new PytestSessionKey(assign.evaluationId(), assign.projectId(), assign.packageId(), assign.pytestArgs(),
                assign.env(), assign.directives());
    }

    /** For the log: the package, and only the names of the variables (their values may be secrets). */
    @Override
    public String toString() {
        return "evaluation " + evaluationId + ", project " + projectId + ", package "
                + packageId.substring(0, Math.min(12, packageId.length())) + " (" + pytestArgs.size() + " args, env "
                + env.keySet() + ", directives " + directives + ")";
    }
}
