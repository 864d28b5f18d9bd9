package io.cdnodes.agent.packages;

import io.cdnodes.protocol.frame.PackageBegin;
import io.cdnodes.protocol.frame.PackageChunk;
import io.cdnodes.protocol.frame.PackageEnd;
import io.cdnodes.protocol.pkg.SafeUnzip;
import io.cdnodes.protocol.pkg.UnzipLimits;
import io.cdnodes.protocol.transfer.PackageAssembler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Unpacked packages, at most {@code maxPackages} of them, least recently used evicted first (never one in
 * use). A package is usable only once it arrived whole, matched its digest and unpacked safely: it is
 * unpacked into a temporary folder and renamed into place, so a crash never leaves a half package that
 * looks complete. One transfer at a time (frames of a connection arrive in order). Thread-safe.
 */
public final class PackageCache {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final int maxPackages;
    private final long maxPackageBytes;
    private final SafeUnzip unzip;
    private final LinkedHashMap<String, Path> ready = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Integer> inUse = new HashMap<>();
    private Transfer transfer;
    private Refused refused;

    private record Transfer(PackageAssembler assembler, Path file, OutputStream out) {
    }

    /**
     * A transfer refused before its END. Its remaining chunks are ignored and its END fails with this reason,
     * so that the coordinator gets one refusal per transfer (PROTOCOL.md section 8), not one per chunk.
     */
    private record Refused(String packageId, PackageAssembler.TransferException reason) {
    }

    public PackageCache(Path root, int maxPackages, long maxPackageBytes, UnzipLimits limits) throws IOException {
        this.root = root;
        this.maxPackages = maxPackages;
        this.maxPackageBytes = maxPackageBytes;
        this.unzip = new SafeUnzip(limits);
        Files.createDirectories(root);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (ID.matcher(name).matches() && Files.isDirectory(p)) {
                    ready.put(name, p);
                } else {
                    Folders.deleteQuietly(p); // leftovers of an interrupted transfer or unpacking
                }
            }
        }
    }

    /** The packages held, for HELLO. */
    public synchronized List<String> ids() {
        return new ArrayList<>(ready.keySet());
    }

    /** The unpacked folder of a package, marking it in use until {@link #release(String)}. */
    public synchronized Optional<Path> acquire(String packageId) {
        Path p = ready.get(packageId);
        if (p != null) {
            inUse.merge(packageId, 1, Integer::sum);
        }
        return Optional.ofNullable(p);
    }

    public synchronized void release(String packageId) {
        inUse.computeIfPresent(packageId, (k, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * Starts a transfer, dropping any other. A refusal (the package is above the limit) is thrown now and
     * again by {@link #end(PackageEnd)}; the chunks in between are ignored.
     */
    public synchronized void begin(PackageBegin begin) throws IOException, PackageAssembler.TransferException {
        abortTransfer();
        Path file = Files.createTempFile(root, "incoming-", ".zip");
        OutputStream out = Files.newOutputStream(file);
        try {
            transfer = new Transfer(new PackageAssembler(begin, maxPackageBytes, out), file, out);
        } catch (PackageAssembler.TransferException e) {
            out.close();
            Files.deleteIfExists(file);
            refused = new Refused(begin.packageId(), e);
            throw e;
        }
    }

    /**
     * Writes a chunk. The first failure drops the transfer and is thrown now and again by
     * {@link #end(PackageEnd)}; later chunks of the refused transfer are ignored.
     */
    public synchronized void chunk(PackageChunk chunk) throws IOException, PackageAssembler.TransferException {
        if (transfer == null) {
            if (refused != null && refused.packageId().equals(chunk.packageId())) {
                return;
            }
            throw new PackageAssembler.TransferException(false, "chunk without a transfer in progress");
        }
        String id = transfer.assembler().packageId();
        try {
            transfer.assembler().onChunk(chunk);
        } catch (PackageAssembler.TransferException e) {
            abortTransfer();
            refused = new Refused(id, e);
            throw e;
        } catch (IOException e) {
            abortTransfer();
            refused = new Refused(id, new PackageAssembler.TransferException(false, "cannot store the package: "
                    + e.getMessage()));
            throw e;
        }
    }

    /** Verifies and unpacks the package; afterwards it is in {@link #ids()}. */
    public synchronized void end(PackageEnd end) throws IOException, PackageAssembler.TransferException {
        if (transfer == null) {
            Refused r = refused;
            refused = null;
            if (r != null && r.packageId().equals(end.packageId())) {
                throw r.reason();
            }
            throw new PackageAssembler.TransferException(false, "end without a transfer in progress");
        }
        Transfer t = transfer;
        transfer = null;
        Path staging = null;
        try {
            t.out().close();
            t.assembler().onEnd(end);
            String id = t.assembler().packageId();
            if (ready.containsKey(id)) {
                return;
            }
            staging = Files.createTempDirectory(root, "unpack-");
            unzip.extract(t.file(), "", staging, rel -> false);
            Files.move(staging, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            ready.put(id, root.resolve(id));
            evict(id);
        } finally {
            Files.deleteIfExists(t.file());
            if (staging != null) {
                Folders.deleteQuietly(staging);
            }
        }
    }

    /** Drops a transfer cut short (the connection was lost). */
    public synchronized void abortTransfer() {
        refused = null;
        if (transfer != null) {
            try {
                transfer.out().close();
                Files.deleteIfExists(transfer.file());
            } catch (IOException ignored) {
                // a leftover temporary file is removed at the next start
            }
            transfer = null;
        }
    }

    /**
     * Evicts least recently used packages down to the limit, never one in use and never the one just received:
     * its ACK says the worker holds it, so the coordinator will not send it again. While packages are in use
     * the cache may hold more than the limit.
     */
    private void evict(String received) {
        var it = ready.entrySet().iterator();
        while (ready.size() > maxPackages && it.hasNext()) {
            var e = it.next();
            if (!inUse.containsKey(e.getKey()) && !e.getKey().equals(received)) {
                it.remove();
                Folders.deleteQuietly(e.getValue());
            }
        }
    }
}
