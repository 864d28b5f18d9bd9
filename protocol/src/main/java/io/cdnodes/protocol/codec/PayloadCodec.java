package io.cdnodes.protocol.codec;

import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.AssignmentKind;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Collected;
import io.cdnodes.protocol.frame.Drain;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.FrameType;
import io.cdnodes.protocol.frame.Heartbeat;
import io.cdnodes.protocol.frame.Hello;
import io.cdnodes.protocol.frame.Outcome;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.frame.TestResult;
import io.cdnodes.protocol.frame.TestStarted;
import io.cdnodes.protocol.frame.Welcome;

/**
 * The payload layout of every frame type, in one place so that it can be read side by side with
 * PROTOCOL.md. Field order here is the wire order.
 */
final class PayloadCodec {

    private PayloadCodec() {
    }

    static byte[] encode(Frame frame) {
        WireWriter w = new WireWriter(64);
        switch (frame.type()) {
            case HELLO -> {
                Hello f = (Hello) frame;
                w.u16(f.protocolVersion()).string(f.workerName()).u16(f.slots()).string(f.pythonVersion())
                        .string(f.pytestVersion()).string(f.token()).stringList(f.cachedPackages()).bool(f.sandboxed());
            }
            case WELCOME -> {
                Welcome f = (Welcome) frame;
                w.string(f.workerId()).u32(f.heartbeatIntervalMs()).u32(f.heartbeatTimeoutMs())
                        .u32(f.maxFrameBytes()).u32(f.chunkBytes());
            }
            case ERROR -> {
                ErrorFrame f = (ErrorFrame) frame;
                w.u16(f.code().code()).string(f.message());
            }
            case HEARTBEAT -> w.i64(((Heartbeat) frame).sequence());
            case DRAIN -> w.string(((Drain) frame).reason());
            case PACKAGE_BEGIN -> {
                PackageBegin f = (PackageBegin) frame;
                w.string(f.packageId()).i64(f.totalBytes());
            }
            case PACKAGE_CHUNK -> {
                PackageChunk f = (PackageChunk) frame;
                w = new WireWriter(f.data().length + 80);
                w.string(f.packageId()).i64(f.offset()).bytes(f.data());
            }
            case PACKAGE_END -> w.string(((PackageEnd) frame).packageId());
            case PACKAGE_ACK -> {
                PackageAck f = (PackageAck) frame;
                w.string(f.packageId()).bool(f.accepted()).string(f.message());
            }
            case ASSIGN -> {
                Assign f = (Assign) frame;
                w.i64(f.assignmentId()).u32(f.attempt()).i64(f.evaluationId()).i64(f.projectId())
                        .string(f.packageId()).u8(f.kind().code()).stringList(f.pytestArgs())
                        .stringMap(f.env()).stringList(f.nodeIds()).u32(f.timeoutSeconds())
                        .stringMap(f.directives());
            }
            case TEST_RESULT -> {
                TestResult f = (TestResult) frame;
                w.i64(f.assignmentId()).u32(f.attempt()).string(f.nodeId()).u8(f.outcome().code())
                        .f64(f.durationSeconds()).string(f.message()).stringMap(f.report());
            }
            case COLLECTED -> {
                Collected f = (Collected) frame;
                w.i64(f.assignmentId()).u32(f.attempt()).stringList(f.nodeIds()).stringList(f.scopes());
            }
            case ASSIGNMENT_DONE -> {
                AssignmentDone f = (AssignmentDone) frame;
                w.i64(f.assignmentId()).u32(f.attempt()).i32(f.exitCode()).string(f.detail());
            }
            case CANCEL -> {
                Cancel f = (Cancel) frame;
                w.i64(f.assignmentId()).string(f.reason());
            }
            case TEST_STARTED -> {
                TestStarted f = (TestStarted) frame;
                w.i64(f.assignmentId()).u32(f.attempt()).string(f.nodeId());
            }
            default -> throw new IllegalStateException("no encoding for " + frame.type());
        }
        return w.toByteArray();
    }

    static Frame decode(FrameType type, byte[] payload, CodecLimits limits) throws MalformedPayloadException {
        WireReader r = new WireReader(payload, limits.maxListItems());
        Frame frame;
        try {
            frame = switch (type) {
                case HELLO -> new Hello(r.u16(), r.string(), r.u16(), r.string(), r.string(), r.string(),
                        r.stringList(), r.bool());
                case WELCOME -> new Welcome(r.string(), r.u32(), r.u32(), r.u32(), r.u32());
                case ERROR -> new ErrorFrame(errorCode(r.u16()), r.string());
                case HEARTBEAT -> new Heartbeat(r.i64());
                case DRAIN -> new Drain(r.string());
                case PACKAGE_BEGIN -> new PackageBegin(r.string(), r.i64());
                case PACKAGE_CHUNK -> new PackageChunk(r.string(), r.i64(), r.bytes());
                case PACKAGE_END -> new PackageEnd(r.string());
                case PACKAGE_ACK -> new PackageAck(r.string(), r.bool(), r.string());
                case ASSIGN -> new Assign(r.i64(), (int) r.u32(), r.i64(), r.i64(), r.string(), kind(r.u8()),
                        r.stringList(), r.stringMap(), r.stringList(), r.u32(), r.stringMap());
                case TEST_RESULT -> new TestResult(r.i64(), (int) r.u32(), r.string(), outcome(r.u8()), r.f64(),
                        r.string(), r.stringMap());
                case COLLECTED -> new Collected(r.i64(), (int) r.u32(), r.stringList(), r.stringList());
                case ASSIGNMENT_DONE -> new AssignmentDone(r.i64(), (int) r.u32(), r.i32(), r.string());
                case CANCEL -> new Cancel(r.i64(), r.string());
                case TEST_STARTED -> new TestStarted(r.i64(), (int) r.u32(), r.string());
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            // a field the record refuses (a bad digest, a negative size, an attempt above 2^31)
            throw new MalformedPayloadException(type + ": " + e.getMessage());
        }
        r.end();
        return frame;
    }

    private static ErrorCode errorCode(int code) throws MalformedPayloadException {
        return ErrorCode.fromCode(code).orElseThrow(() -> new MalformedPayloadException("unknown error code " + code));
    }

    private static AssignmentKind kind(int code) throws MalformedPayloadException {
        return AssignmentKind.fromCode(code)
                .orElseThrow(() -> new MalformedPayloadException("unknown assignment kind " + code));
    }

    private static Outcome outcome(int code) throws MalformedPayloadException {
        return Outcome.fromCode(code).orElseThrow(() -> new MalformedPayloadException("unknown outcome " + code));
    }
}
