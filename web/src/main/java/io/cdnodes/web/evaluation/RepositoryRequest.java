package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.evaluation.RunOptions;
import io.cdnodes.coordinator.repositories.RepositorySubmission;
import io.cdnodes.web.problem.Redacts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A submission of repositories, as {@code POST /evaluation} takes it in JSON:
 * {@code {"auth_token": "...", "projects": ["https://github.com/o/r", ...], "options": {...}}}. Read by JSON-B
 * ({@link RepositoryRequestReader}) and checked by the constraints here before the resource sees it;
 * {@link #toSubmission()} gives the domain's value. Its {@link #toString()} and every refusal leave the token out.
 *
 * @param authToken the token to fetch the repositories with; none for public ones
 * @param projects  the repositories' URLs
 * @param options   the run options of every project; none for plain {@code python -m pytest}
 */
public record RepositoryRequest(
        String authToken,
        @NotNull(message = "is missing: give a list of repository URLs")
        @Size.List({
                @Size(min = 1, message = "is empty: give at least one repository URL"),
                @Size(max = RepositorySubmission.MAX_PROJECTS,
                        message = "lists more than {max} repositories; at most {max} are accepted in one submission")})
        List<@NotNull(message = "is not a string") String> projects,
        @Valid OptionsRequest options) implements Redacts {

    /**
     * Written out so that the constraints stay on the fields: Payara's OpenAPI scanner takes a constraint on a
     * constructor parameter for one on a {@code @PathParam} and fails to build {@code /openapi}.
     */
    public RepositoryRequest(String authToken, List<String> projects, OptionsRequest options) {
        this.authToken = authToken;
        this.projects = projects;
        this.options = options;
    }

    /**
     * The domain's value.
     *
     * @throws io.cdnodes.coordinator.intake.IntakeException (bad request) for a URL or token the domain refuses
     * @throws IllegalArgumentException                       for options the domain refuses
     */
    public RepositorySubmission toSubmission() {
        RunOptions o = options == null ? RunOptions.none() : options.toRunOptions();
        return RepositorySubmission.of(projects, authToken, o);
    }

    @Override
    public String redact(String text) {
        return authToken == null || authToken.isEmpty() || text == null ? text : text.replace(authToken, REDACTED);
    }

    @Override
    public String toString() {
        return "RepositoryRequest[authToken=" + (authToken == null || authToken.isEmpty() ? "none" : REDACTED)
                + ", projects=" + projects + ", options=" + options + "]";
    }
}
