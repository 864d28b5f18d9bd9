package io.cdnodes.protocol.transfer;

import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Reassembles one package transfer into an output stream and verifies it: chunks must arrive in order
 * without gaps, never beyond the announced size, and the result must match the package id's digest.
 * A failed check is an {@link TransferException}; the caller discards what was written and refuses the
 * package. Not thread-safe.
 */
public final class PackageAssembler {

    private final String packageId;
    private final long totalBytes;
    private final OutputStream sink;
    private final MessageDigest digest = PackageDigest.newDigest();
    private long received;

    /**
     * @param begin    the transfer's BEGIN frame
     * @param maxBytes the largest package this receiver accepts
     * @param sink     where the bytes go; the caller closes it
     * @throws TransferException when the announced size is above {@code maxBytes}
     */
    public PackageAssembler(PackageBegin begin, long maxBytes, OutputStream sink) throws TransferException {
        if (begin.totalBytes() > maxBytes) {
            throw new TransferException(true, "package of " + begin.totalBytes() + " bytes is above the limit of "
                    + maxBytes);
        }
        this.packageId = begin.packageId();
        this.totalBytes = begin.totalBytes();
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public String packageId() {
        return packageId;
    }

    public long received() {
        return received;
    }

    public void onChunk(PackageChunk chunk) throws TransferException, IOException {
        if (!chunk.packageId().equals(packageId)) {
            throw new TransferException(false, "chunk of package " + chunk.packageId() + " inside transfer of " + packageId);
        }
        if (chunk.offset() != received) {
            throw new TransferException(false, "chunk at offset " + chunk.offset() + " but " + received
                    + " bytes have arrived");
        }
        if (received + chunk.data().length > totalBytes) {
            throw new TransferException(false, "chunks exceed the announced " + totalBytes + " bytes");
        }
        sink.write(chunk.data());
        digest.update(chunk.data());
        received += chunk.data().length;
    }

    /** Checks the end of the transfer; returns normally when the package is whole and matches its id. */
    public void onEnd(PackageEnd end) throws TransferException {
        if (!end.packageId().equals(packageId)) {
            throw new TransferException(false, "end of package " + end.packageId() + " inside transfer of " + packageId);
        }
        if (received != totalBytes) {
            throw new TransferException(false, "truncated: " + received + " of " + totalBytes + " bytes arrived");
        }
        String actual = PackageDigest.hex(digest.digest());
        if (!actual.equals(packageId)) {
            throw new TransferException(false, "digest mismatch: content hashes to " + actual);
        }
    }

    /** A transfer that cannot be accepted. */
    public static final class TransferException extends Exception {

        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        public TransferException(boolean tooLarge, String message) {
            super(message);
            this.tooLarge = tooLarge;
        }

        /** True when retrying cannot help because the package is above the receiver's limit. */
        public boolean tooLarge() {
            return tooLarge;
        }
    }
}
