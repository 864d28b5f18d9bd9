package io.cdnodes.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.TestResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subtests with real pytest 9: unittest's {@code self.subTest} and the {@code subtests} fixture. One result per
 * node id; a test with a failed subtest is failed, its message listing them (pytest itself prints the unittest
 * one as PASSED beside its SUBFAILED lines).
 */
class PytestRunSubtestsTest {

    private static final String UNITTEST = """
            import unittest

            class Numbers(unittest.TestCase):
                def test_some_odd(self):
                    for n in range(5):
                        with self.subTest(n=n):
                            self.assertTrue(n % 2 == 0, f"{n} is odd")

                def test_all_even(self):
                    for n in (0, 2):
                        with self.subTest(n=n):
                            self.assertEqual(n % 2, 0)

                def test_described(self):
                    with self.subTest("seven", n=7):
                        self.assertEqual(7 % 2, 0)
            """;

    private static final String FIXTURE = """
            import pytest

            def test_squares(subtests):
                for i in range(5):
                    with subtests.test(msg="square", i=i):
                        assert i * i < 9

            def test_all_good(subtests):
                for w in ("a", "bb"):
                    with subtests.test(w=w):
                        assert len(w) < 3

            def test_own_failure_only(subtests):
                with subtests.test(step=1):
                    pass
                assert 1 == 2

            def test_own_and_subtest_failure(subtests):
                for k in (1, 2):
                    with subtests.test(k=k):
                        assert k == 1
                assert False, "own failure"

            def test_skipped_and_failed(subtests):
                with subtests.test(case="skip"):
                    pytest.skip("not here")
                with subtests.test(case="fail"):
                    assert [1] == [2]
            """;

    @TempDir
    Path tmp;

    @Test
    void aTestWithFailedSubtestsIsOneFailedResultListingThem() throws Exception {
        RunFixture fx = new RunFixture(tmp).file("tests/test_ut.py", UNITTEST).file("tests/test_fx.py", FIXTURE);
        String ut = "tests/test_ut.py::Numbers::";
        String f = "tests/test_fx.py::";
        List<String> ids = List.of(f + "test_squares", f + "test_all_good", f + "test_own_failure_only",
                f + "test_own_and_subtest_failure", f + "test_skipped_and_failed", ut + "test_all_even",
                ut + "test_described", ut + "test_some_odd");

        fx.run(RunFixture.collect(1)).execute();
        String numbers = "tests/test_ut.py::Numbers";
        assertThat(fx.frames.get(0)).as("subtests are not collected: they exist only while the test runs; a "
                + "unittest class shares its setUpClass").isEqualTo(new Collected(1, 1, ids,
                List.of("", "", "", "", "", numbers, numbers, numbers)));
        fx.frames.clear();
        int exit = fx.run(RunFixture.run(2, ids, List.of(), Map.of(), 120)).execute();

        assertThat(exit).isEqualTo(1);
        assertThat(fx.results()).extracting(TestResult::nodeId, TestResult::outcome, TestResult::message)
                .containsExactly(
                        tuple(f + "test_squares", Outcome.FAILED,
                                "2 of 5 subtests failed: [square] (i=3) assert (3 * 3) < 9; [square] (i=4) assert (4 * 4) < 9"),
                        tuple(f + "test_all_good", Outcome.PASSED, ""),
                        tuple(f + "test_own_failure_only", Outcome.FAILED, "assert 1 == 2"),
                        tuple(f + "test_own_and_subtest_failure", Outcome.FAILED,
                                "AssertionError: own failure; 1 of 2 subtests failed: (k=2) assert 2 == 1"),
                        tuple(f + "test_skipped_and_failed", Outcome.FAILED,
                                "1 of 2 subtests failed: (case='fail') assert [1] == [2]"),
                        tuple(ut + "test_all_even", Outcome.PASSED, ""),
                        tuple(ut + "test_described", Outcome.FAILED,
                                "1 of 1 subtest failed: [seven] (n=7) AssertionError: 1 != 0"),
                        tuple(ut + "test_some_odd", Outcome.FAILED,
                                "2 of 5 subtests failed: (n=1) AssertionError: False is not true : 1 is odd; "
                                        + "(n=3) AssertionError: False is not true : 3 is odd"));
    }
}
