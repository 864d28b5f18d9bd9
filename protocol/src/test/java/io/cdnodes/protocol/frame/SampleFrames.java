package io.cdnodes.protocol.frame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** At least one sample of every frame type, with edge values: unicode, empty collections, maximum numbers. */
public final class SampleFrames {

    /** A syntactically valid package id: "ab" 32 times. */
    public static final String PKG = "ab".repeat(32);
    /** Another one. */
    public static final String PKG2 = "0123456789abcdef".repeat(4);
    public static final long U32_MAX = 0xFFFF_FFFFL;
    public static final String UNICODE = "wörker-日本-😀-\u0000-✓";

    private SampleFrames() {
    }

    public static List<Frame> all() {
        List<Frame> frames = new ArrayList<>();
        frames.add(new Hello(1, "w1", 2, "3.12", "8.0", "tk", List.of()));
        frames.add(new Hello(0xFFFF, UNICODE, 0xFFFF, "Python 3.12.3", "pytest 8.3.2", "sécret😀", List.of(PKG, PKG2),
                true));
        frames.add(new Hello(0, "", 0, "", "", "", List.of()));
        frames.add(new Welcome("w-7", 1000, 5000, 8_388_608, 1_048_576));
        frames.add(new Welcome(UNICODE, U32_MAX, U32_MAX, U32_MAX, U32_MAX));
        frames.add(new Welcome("", 0, 0, 0, 0));
        for (ErrorCode code : ErrorCode.values()) {
            frames.add(new ErrorFrame(code, code == ErrorCode.INTERNAL ? UNICODE : ""));
        }
        frames.add(new Heartbeat(0));
        frames.add(new Heartbeat(Long.MAX_VALUE));
        frames.add(new Heartbeat(Long.MIN_VALUE));
        frames.add(new Drain(""));
        frames.add(new Drain(UNICODE));
        frames.add(new PackageBegin(PKG, 0));
        frames.add(new PackageBegin(PKG2, Long.MAX_VALUE));
        frames.add(new PackageChunk(PKG, 0, new byte[0]));
        frames.add(new PackageChunk(PKG, Long.MAX_VALUE, new byte[] {0, -1, 127, -128, 1}));
        frames.add(new PackageEnd(PKG));
        frames.add(new PackageAck(PKG, true, ""));
        frames.add(new PackageAck(PKG2, false, UNICODE));
        frames.add(assignRun());
        frames.add(new Assign(Long.MIN_VALUE, 0, 0, 0, PKG2, AssignmentKind.COLLECT, List.of(), Map.of(), List.of(), 0));
        frames.add(new Assign(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, PKG,
                AssignmentKind.RUN, List.of("", UNICODE), Map.of("", "", UNICODE, UNICODE), List.of(UNICODE), U32_MAX));
        for (Outcome outcome : Outcome.values()) {
            frames.add(new TestResult(42, 1, "tests/test_a.py::test_x[" + outcome.wireName() + "]", outcome,
                    0.0123, outcome == Outcome.PASSED ? "" : "assert 1 == 2"));
        }
        frames.add(new TestResult(Long.MAX_VALUE, Integer.MAX_VALUE, UNICODE, Outcome.FAILED, Double.MAX_VALUE, UNICODE));
        frames.add(new TestResult(-1, 0, "", Outcome.SKIPPED, -0.0, ""));
        frames.add(new TestResult(0, 0, "t", Outcome.PASSED, Double.MIN_VALUE, ""));
        frames.add(new Collected(5, 0, List.of()));
        frames.add(new Collected(5, 3, List.of("tests/test_a.py::test_x", "tests/test_a.py::test_y[1-2]", UNICODE)));
        frames.add(new Collected(5, 1, List.of("t.py::TestX::test_a", "t.py::test_b"), List.of("t.py::TestX", "")));
        frames.add(new AssignmentDone(9, 1, 0, ""));
        frames.add(new AssignmentDone(9, 1, AssignmentDone.EXIT_TIMEOUT, "killed"));
        frames.add(new AssignmentDone(9, 1, AssignmentDone.EXIT_NOT_STARTED, UNICODE));
        frames.add(new AssignmentDone(9, 1, AssignmentDone.EXIT_CANCELLED, ""));
        frames.add(new AssignmentDone(Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, ""));
        frames.add(new Cancel(9, "evaluation cancelled"));
        frames.add(new Cancel(Long.MAX_VALUE, ""));
        frames.add(new TestStarted(9, 1, "tests/test_a.py::test_x[1]"));
        frames.add(new TestStarted(Long.MIN_VALUE, Integer.MAX_VALUE, UNICODE));
        return List.copyOf(frames);
    }

    /** A RUN assignment whose env map was built out of key order. */
    public static Assign assignRun() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTHONPATH", "src");
        env.put("A", "1");
        return new Assign(7, 2, 3, 4, PKG, AssignmentKind.RUN, List.of("-q", "--doctest-modules"), env,
                List.of("tests/test_a.py::test_x", "tests/test_b.py::test_y[1]"), 600,
                Map.of(Assign.INSTALL_DEPS, "true"));
    }
}
