package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.coordinator.intake.ProjectLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A submission of repositories, checked: which repositories, what each project is called, the token to fetch them
 * with and the run options. The HTTP body it comes from is web's; this is what the domain takes.
 *
 * @param projects the repositories, in the order given
 * @param names    each project's name: the repository's, or {@code owner-repo} where two would be the same
 * @param token    the token to fetch them with ({@link AccessToken#NONE} when none was given)
 * @param options  the run options of every project
 */
public record RepositorySubmission(List<RepositoryUrl> projects, List<String> names, AccessToken token,
                                   RunOptions options) {

    /** Projects in one submission at most: the same cap as for an upload's projects. */
    public static final int MAX_PROJECTS = ProjectLayout.MAX_PROJECTS;

    public RepositorySubmission {
        projects = List.copyOf(projects);
        names = List.copyOf(names);
    }

    /**
     * Checks what a client sent.
     *
     * @param urls    the repositories' URLs as given, at least one and at most {@link #MAX_PROJECTS}
     * @param token   the token as given; null or empty for none
     * @param options the run options, already validated
     * @throws IntakeException (bad request) saying which URL or what about the token is wrong; no message shows
     *                         the token
     */
    public static RepositorySubmission of(List<String> urls, String token, RunOptions options) {
        AccessToken t;
        try {
            t = AccessToken.of(token);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (urls.isEmpty() || urls.size() > MAX_PROJECTS) {
            throw bad("'projects' lists " + urls.size() + " repositories; give 1 to " + MAX_PROJECTS);
        }
        List<RepositoryUrl> projects = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            try {
                projects.add(RepositoryUrl.parse(urls.get(i)));
            } catch (IllegalArgumentException e) {
                throw bad(t.scrub("projects[" + i + "]: " + e.getMessage()));
            }
        }
        return new RepositorySubmission(projects, names(projects), t, options);
    }

    /** What the evaluation came from, for people: its URLs (which carry no credentials), bounded. */
    public String source() {
        StringBuilder sb = new StringBuilder("repositories: ");
        for (int i = 0; i < projects.size(); i++) {
            String next = (i == 0 ? "" : ", ") + projects.get(i).url();
            if (sb.length() + next.length() > 900) {
                sb.append(", … (").append(projects.size()).append(" in all)");
                break;
            }
            sb.append(next);
        }
        return sb.toString();
    }

    /**
     * The repository's name where it is unique in the submission, {@code owner-repo} where it is not, and a
     * number after that where even that repeats (the same URL twice).
     */
    static List<String> names(List<RepositoryUrl> projects) {
        Map<String, Integer> byName = new HashMap<>();
        projects.forEach(p -> byName.merge(p.name(), 1, Integer::sum));
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>(projects.size());
        for (RepositoryUrl p : projects) {
            String wanted = bounded(byName.get(p.name()) > 1 ? p.owner() + "-" + p.name() : p.name());
            String name = wanted;
            for (int n = 2; !used.add(name); n++) {
                name = wanted + "-" + n;
            }
            out.add(name);
        }
        return out;
    }

    private static String bounded(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200);
    }

    private static IntakeException bad(String detail) {
        return new IntakeException(IntakeException.Kind.BAD_REQUEST, detail);
    }
}
