package io.cdnodes.protocol.pkg;

import io.cdnodes.protocol.pkg.UnsafeArchiveException.Rule;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks and extracts zip archives. Every entry name is checked before anything is written: no absolute
 * paths, drive letters, backslashes, {@code ..} segments, NUL characters, Unix symbolic links,
 * duplicate names, or a path that is both a file and a folder. Sizes are counted as bytes are actually inflated, so an archive lying about its sizes
 * in its directory is caught as well.
 */
public final class SafeUnzip {

    private final UnzipLimits limits;

    public SafeUnzip(UnzipLimits limits) {
        this.limits = limits;
    }

    /** The normalised names of the archive's entries (folders end with '/'), after checking them all. */
    public List<String> list(Path zip) throws IOException {
        try (ZipFile zf = open(zip)) {
            return check(zf, links(zip, zf));
        }
    }

    /**
     * Extracts the entries whose normalised name starts with {@code prefix} into {@code target}, with the
     * prefix removed. {@code target} must exist and should be empty.
     *
     * @param skip names (after the prefix) to leave out, tested on every path segment
     * @return the number of files written
     */
    public int extract(Path zip, String prefix, Path target, java.util.function.Predicate<String> skip)
            throws IOException {
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        int files = 0;
        try (ZipFile zf = open(zip)) {
            check(zf, links(zip, zf));
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = normalise(e.getName());
                if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                    continue;
                }
                String rel = name.substring(prefix.length());
                if (skip.test(rel)) {
                    continue;
                }
                Path out = root.resolve(rel).normalize();
                if (!out.startsWith(root)) {
                    throw new UnsafeArchiveException(Rule.UNSAFE_PATH, e.getName(), "entry " + e.getName()
                            + " would be written outside its folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                    throw new UnsafeArchiveException(Rule.DUPLICATE, e.getName(), "entry " + e.getName()
                            + " is in the archive twice");
                }
                total += copy(zf, e, out, limits.maxTotalBytes() - total);
                files++;
            }
        }
        return files;
    }

    private long copy(ZipFile zf, ZipEntry e, Path out, long totalBudget) throws IOException {
        long cap = Math.min(limits.maxEntryBytes(), totalBudget);
        long written = 0;
        try (InputStream in = zf.getInputStream(e); OutputStream os = Files.newOutputStream(out)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                written += n;
                if (written > cap) {
                    if (written > limits.maxEntryBytes()) {
                        throw new UnsafeArchiveException(Rule.ENTRY_TOO_LARGE, e.getName(), "entry " + e.getName()
                                + " is larger than " + limits.maxEntryBytes() + " bytes");
                    }
                    throw new UnsafeArchiveException(Rule.TOTAL_TOO_LARGE, e.getName(), "the archive expands to more than "
                            + limits.maxTotalBytes() + " bytes (at entry " + e.getName() + ")");
                }
                long compressed = e.getCompressedSize();
                if (written > UnzipLimits.RATIO_FLOOR_BYTES && compressed > 0 && written / compressed > limits.maxRatio()) {
                    throw new UnsafeArchiveException(Rule.RATIO, e.getName(), "entry " + e.getName()
                            + " expands more than " + limits.maxRatio() + " times its compressed size");
                }
                os.write(buf, 0, n);
            }
        } catch (ZipException | EOFException damaged) {
            // a truncated deflate stream ends in EOFException, which is not a ZipException
            throw new UnsafeArchiveException(Rule.NOT_A_ZIP, e.getName(), "entry " + e.getName()
                    + " is damaged: " + damaged.getMessage());
        }
        return written;
    }

    /**
     * The raw names of the Unix symbolic links, from the same central directory the JDK reads: an archive whose
     * directory this class cannot read entry for entry is refused rather than let through unchecked.
     */
    private static Set<String> links(Path zip, ZipFile zf) throws IOException {
        CentralDirectory.Scan scan = CentralDirectory.scan(zip);
        if (scan == null || scan.entries() != zf.size()) {
            throw new UnsafeArchiveException(Rule.NOT_A_ZIP, null, "not a zip archive: its central directory"
                    + " cannot be read consistently");
        }
        return scan.links();
    }

    private List<String> check(ZipFile zf, Set<String> links) throws UnsafeArchiveException {
        if (zf.size() > limits.maxEntries()) {
            throw new UnsafeArchiveException(Rule.TOO_MANY_ENTRIES, null, "the archive has " + zf.size()
                    + " entries, more than the limit of " + limits.maxEntries());
        }
        List<String> names = new ArrayList<>(zf.size());
        Set<String> seen = new HashSet<>();
        Map<String, String> files = new HashMap<>();
        Set<String> folders = new HashSet<>();
        Enumeration<? extends ZipEntry> entries = zf.entries();
        long declared = 0;
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            String raw = e.getName();
            checkName(raw);
            if (links.contains(raw)) {
                throw new UnsafeArchiveException(Rule.LINK, raw, "entry " + raw + " is a symbolic link; links are not accepted");
            }
            String name = normalise(raw);
            if (!seen.add(name)) {
                throw new UnsafeArchiveException(Rule.DUPLICATE, raw, "entry " + raw + " is in the archive twice");
            }
            checkFileOrFolder(name, raw, files, folders);
            if (e.getSize() > limits.maxEntryBytes()) {
                throw new UnsafeArchiveException(Rule.ENTRY_TOO_LARGE, raw, "entry " + raw + " is larger than "
                        + limits.maxEntryBytes() + " bytes");
            }
            declared += Math.max(0, e.getSize());
            if (declared > limits.maxTotalBytes()) {
                throw new UnsafeArchiveException(Rule.TOTAL_TOO_LARGE, raw, "the archive expands to more than "
                        + limits.maxTotalBytes() + " bytes (at entry " + raw + ")");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * Refuses a path that is both a file and a folder ({@code a} and {@code a/b}, or {@code a} and {@code a/}),
     * which could not be extracted.
     */
    private static void checkFileOrFolder(String name, String raw, Map<String, String> files, Set<String> folders)
            throws UnsafeArchiveException {
        boolean folder = name.endsWith("/");
        String path = folder ? name.substring(0, name.length() - 1) : name;
        if (path.isEmpty()) {
            return;
        }
        String clash = null;
        if (folder ? files.containsKey(path) : folders.contains(path)) {
            clash = folder ? files.get(path) : raw;
        }
        for (int i = path.indexOf('/'); i > 0 && clash == null; i = path.indexOf('/', i + 1)) {
            String parent = path.substring(0, i);
            folders.add(parent);
            clash = files.get(parent);
        }
        if (clash != null) {
            throw new UnsafeArchiveException(Rule.DUPLICATE, clash, "entry " + clash + " is both a file and a folder");
        }
        if (folder) {
            folders.add(path);
        } else {
            files.put(path, raw);
        }
    }

    /** Refuses names that could reach outside the target folder on any platform. */
    static void checkName(String raw) throws UnsafeArchiveException {
        String why = null;
        if (raw.isEmpty()) {
            why = "is empty";
        } else if (raw.indexOf('\0') >= 0) {
            why = "contains a NUL character";
        } else if (raw.indexOf('\\') >= 0) {
            why = "contains a backslash";
        } else if (raw.startsWith("/")) {
            why = "is an absolute path";
        } else if (raw.length() >= 2 && raw.charAt(1) == ':') {
            why = "starts with a drive letter";
        } else {
            for (String segment : raw.split("/", -1)) {
                if (segment.equals("..")) {
                    why = "has a '..' segment that would leave its folder";
                    break;
                }
            }
        }
        if (why != null) {
            throw new UnsafeArchiveException(Rule.UNSAFE_PATH, raw, "entry " + printable(raw) + " " + why);
        }
    }

    /** Drops "./" segments and doubled slashes; keeps a trailing '/' on folders. */
    static String normalise(String raw) {
        StringBuilder sb = new StringBuilder();
        String[] parts = raw.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(p);
        }
        if (raw.endsWith("/") && sb.length() > 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile());
        } catch (ZipException e) {
            throw new UnsafeArchiveException(Rule.NOT_A_ZIP, null, "not a zip archive: " + e.getMessage());
        }
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
