package io.cdnodes.protocol.frame;

/**
 * One CDProto message. The set is closed: every frame type the protocol knows is one of the permitted
 * records, and {@link #type()} names its wire code.
 */
public sealed interface Frame
        permits Hello, Welcome, ErrorFrame, Heartbeat, Drain,
                PackageBegin, PackageChunk, PackageEnd, PackageAck,
                Assign, TestResult, Collected, AssignmentDone, Cancel, TestStarted {

    FrameType type();
}
