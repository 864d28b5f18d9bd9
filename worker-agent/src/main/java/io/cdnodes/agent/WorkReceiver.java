package io.cdnodes.agent;

import io.cdnodes.agent.link.AgentListener;
import io.cdnodes.agent.link.CoordinatorLink;
import io.cdnodes.agent.packages.PackageCache;
import io.cdnodes.agent.run.PytestRun;
import io.cdnodes.agent.run.RunSettings;
import io.cdnodes.agent.run.Slots;
import io.cdnodes.protocol.frame.Assign;
import io.cdnodes.protocol.frame.AssignmentDone;
import io.cdnodes.protocol.frame.Cancel;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.PackageAck;
import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.transfer.PackageAssembler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the coordinator sends over one link to be done: package transfers (unpacked into the cache, acknowledged
 * once at their END), assignments (started in a slot, or handed straight back) and cancels. One per link, called
 * by the link's reader thread only.
 */
final class WorkReceiver {

    private final CoordinatorLink link;
    private final PackageCache packages;
    private final RunSettings runSettings;
    private final Slots slots;
    private final AgentListener listener;
    private final BooleanSupplier stopping;
    /** Timing of the package transfer in progress. */
    private long transferStartNanos;
    private long transferEndNanos;
    private long transferBytes;

    /** @param stopping whether the agent is draining: assignments are then handed back unstarted */
    WorkReceiver(CoordinatorLink link, PackageCache packages, RunSettings runSettings, Slots slots,
                 AgentListener listener, BooleanSupplier stopping) {
        this.link = link;
        this.packages = packages;
        this.runSettings = runSettings;
        this.slots = slots;
        this.listener = listener;
        this.stopping = stopping;
    }

    /** Acts on a frame the link's protocol state delivered (heartbeats need nothing). */
    void handle(Frame frame) throws IOException {
        if (frame instanceof PackageBegin b) {
            transferStartNanos = System.nanoTime();
            transferBytes = b.totalBytes();
            onPackage(b.packageId(), () -> packages.begin(b), false);
        } else if (frame instanceof PackageChunk c) {
            onPackage(c.packageId(), () -> packages.chunk(c), false);
        } else if (frame instanceof PackageEnd e) {
            transferEndNanos = System.nanoTime();
            onPackage(e.packageId(), () -> packages.end(e), true);
        } else if (frame instanceof Assign a) {
            onAssign(a);
        } else if (frame instanceof Cancel c) {
            slots.cancel(c.assignmentId());
        }
    }

    @FunctionalInterface
    private interface PackageStep {
        void apply() throws IOException, PackageAssembler.TransferException;
    }

    /** One PACKAGE_ACK per transfer, at its END: a transfer refused earlier is refused again by the END. */
    private void onPackage(String packageId, PackageStep step, boolean last) throws IOException {
        try {
            step.apply();
            if (last) {
                link.send(new PackageAck(packageId, true, ""));
                long transferMs = Math.max(1, (transferEndNanos - transferStartNanos) / 1_000_000);
                long unpackMs = (System.nanoTime() - transferEndNanos) / 1_000_000;
                listener.status(String.format(Locale.ROOT,
                        "package %s received: %d bytes in %d ms (%.1f MB/s), unpacked in %d ms",
                        packageId.substring(0, 12), transferBytes, transferMs,
                        transferBytes / 1e6 / (transferMs / 1000.0), unpackMs));
            }
        } catch (PackageAssembler.TransferException | IOException e) {
            listener.problem("package " + packageId.substring(0, 12) + " refused", e);
            if (last) {
                link.send(new PackageAck(packageId, false, String.valueOf(e.getMessage())));
            }
        }
    }

    private void onAssign(Assign a) throws IOException {
        if (stopping.getAsBoolean()) {
            // assigned before the coordinator read our DRAIN: hand it straight back
            link.send(new AssignmentDone(a.assignmentId(), a.attempt(), AssignmentDone.EXIT_DRAINED, ""));
            return;
        }
        Optional<Path> dir = packages.acquire(a.packageId());
        if (dir.isEmpty()) {
            link.send(new AssignmentDone(a.assignmentId(), a.attempt(), AssignmentDone.EXIT_PACKAGE_MISSING,
                    "package " + a.packageId() + " is not on this worker"));
            return;
        }
        PytestRun run = new PytestRun(a, dir.get(), runSettings, link::send, slots.pytestSessions());
        slots.submit(run, () -> packages.release(a.packageId()));
    }
}
