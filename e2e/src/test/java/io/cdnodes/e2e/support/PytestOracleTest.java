package io.cdnodes.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The oracle's reading of pytest 9.0.3's own {@code -v -rfE} output (lines copied from real runs). */
class PytestOracleTest {

    @Test
    void aTestWithASubfailedLineIsFailedWhereverPytestPrintsIt() {
        String out = """
                collecting ... collected 6 items

                tests/test_fx.py::test_squares SUBPASSED[square] (i=2)                    [ 16%]
                tests/test_fx.py::test_squares SUBFAILED[square] (i=3)                    [ 16%]
                tests/test_fx.py::test_squares FAILED                                     [ 16%]
                tests/test_fx.py::test_all_good SUBPASSED(word='a')                       [ 33%]
                tests/test_fx.py::test_all_good PASSED                                    [ 33%]
                tests/test_ut.py::EvenNumbers::test_all_even\s
                tests/test_ut.py::EvenNumbers::test_all_even PASSED                       [ 50%]
                tests/test_ut.py::EvenNumbers::test_described_subtest\s
                tests/test_ut.py::EvenNumbers::test_described_subtest PASSED              [ 66%]
                tests/test_ut.py::EvenNumbers::test_some_odd\s
                tests/test_ut.py::EvenNumbers::test_some_odd PASSED                       [ 83%]
                tests/test_ut.py::EvenNumbers::test_plain PASSED                          [100%]
                =========================== short test summary info ============================
                SUBFAILED[square] (i=3) tests/test_fx.py::test_squares - assert (3 * 3) < 9
                FAILED tests/test_fx.py::test_squares - contains 1 failed subtest
                SUBFAILED[seven] (n=7) tests/test_ut.py::EvenNumbers::test_described_subtest
                SUBFAILED(n=1) tests/test_ut.py::EvenNumbers::test_some_odd - AssertionError: False is not...
                ========== 3 failed, 4 passed, 4 subtests passed in 1.18s ==========
                """;

        assertThat(PytestOracle.parse(out)).containsExactly(
                entry("tests/test_fx.py::test_all_good", "passed"),
                entry("tests/test_fx.py::test_squares", "failed"),
                entry("tests/test_ut.py::EvenNumbers::test_all_even", "passed"),
                entry("tests/test_ut.py::EvenNumbers::test_described_subtest", "failed"),
                entry("tests/test_ut.py::EvenNumbers::test_plain", "passed"),
                entry("tests/test_ut.py::EvenNumbers::test_some_odd", "failed"));
    }

    @Test
    void aCollectionErrorIsAnErrorUnderItsPathAndATestErrorStaysAsItsLineSays() {
        String out = """
                collecting ... collected 2 items / 1 error

                ==================================== ERRORS ====================================
                ____________________ ERROR collecting tests/test_broken.py _____________________
                E   KeyError: 'timeout'
                =========================== short test summary info ============================
                ERROR tests/test_broken.py - KeyError: 'timeout'
                !!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
                """;
        String teardown = """
                tests/test_t.py::test_x PASSED                                            [ 50%]
                tests/test_t.py::test_x ERROR                                             [ 50%]
                tests/test_t.py::test_y FAILED                                            [100%]
                tests/test_t.py::test_y ERROR                                             [100%]
                =========================== short test summary info ============================
                FAILED tests/test_t.py::test_y - assert 1 == 2
                ERROR tests/test_t.py::test_x - RuntimeError: teardown
                ERROR tests/test_t.py::test_y - RuntimeError: teardown
                ERROR: usage: __main__.py [options] [file_or_dir] [file_or_dir] [...]
                """;

        assertThat(PytestOracle.parse(out)).containsExactly(entry("tests/test_broken.py", "error"));
        assertThat(PytestOracle.parse(teardown)).containsExactly(entry("tests/test_t.py::test_x", "error"),
                entry("tests/test_t.py::test_y", "failed"));
    }

    @Test
    void aModuleSkippedAsItIsCollectedIsSkippedUnderItsPathAndATestsSkipStaysItsOwn() {
        String out = """
                collecting ... collected 2 items / 1 skipped

                tests/test_plain.py::test_y PASSED                                       [ 50%]
                tests/test_plain.py::test_z SKIPPED (not today)                          [100%]

                =========================== short test summary info ============================
                SKIPPED [1] tests/test_optional.py:3: could not import 'numpy': No module named 'numpy'
                SKIPPED [1] tests/test_plain.py:7: not today
                =================== 1 passed, 2 skipped in 0.86s ===================
                """;

        assertThat(PytestOracle.parse(out)).containsExactly(entry("tests/test_optional.py", "skipped"),
                entry("tests/test_plain.py::test_y", "passed"), entry("tests/test_plain.py::test_z", "skipped"));
    }
}
