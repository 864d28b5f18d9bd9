package io.cdnodes.coordinator.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeIdsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tests/test_a.py::T::t[1]        | tests/test_a.py",
            "tests/test_a.py::test_x         | tests/test_a.py",
            "test_a.py::test_x[a::b]         | test_a.py",
            "tests/test_a.py                 | tests/test_a.py",
            "src/mod.py::mod.func            | src/mod.py",
            "docs/guide.rst::guide.rst       | docs/guide.rst",
            "''                              | ''"})
    void moduleIsTheFilePart(String nodeId, String module) {
        assertThat(NodeIds.module(nodeId)).isEqualTo(module);
    }
}
