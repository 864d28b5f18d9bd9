package io.cdnodes.web.problem;

/** An evaluation exists but has no test with the node id asked for (in the project named, if one was): 404. */
public class TestNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TestNotFoundException(String message) {
        super(message);
    }
}
