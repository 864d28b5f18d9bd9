package io.cdnodes.protocol.frame;

import java.util.Objects;

/**
 * The worker's verdict on a package transfer.
 *
 * @param packageId the package
 * @param accepted  true when the package arrived whole, matched its digest and was unpacked
 * @param message   why it was refused; empty when accepted
 */
public record PackageAck(String packageId, boolean accepted, String message) implements Frame {

    public PackageAck {
        Checks.packageId(packageId);
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.PACKAGE_ACK;
    }
}
