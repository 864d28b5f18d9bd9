package io.cdnodes.coordinator.results;

/** What can be read off a pytest node id. */
public final class NodeIds {

    private NodeIds() {
    }

    /** The file part: everything before the first "::" ({@code tests/test_a.py::T::t[1]} → {@code tests/test_a.py}). */
    public static String module(String nodeId) {
        int i = nodeId.indexOf("::");
        return i < 0 ? nodeId : nodeId.substring(0, i);
    }
}
