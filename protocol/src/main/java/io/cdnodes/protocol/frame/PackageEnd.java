package io.cdnodes.protocol.frame;

/**
 * Ends a package transfer; the worker verifies size and digest and answers {@link PackageAck}.
 *
 * @param packageId the package
 */
public record PackageEnd(String packageId) implements Frame {

    public PackageEnd {
        Checks.packageId(packageId);
    }

    @Override
    public FrameType type() {
        return FrameType.PACKAGE_END;
    }
}
