package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.intake.IntakeException;
import io.cdnodes.protocol.pkg.UnzipLimits;
import java.io.IOException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a clone's files only once its tree is known to fit the intake's limits (files, bytes per file,
 * bytes in all). The bytes a clone receives are capped as they arrive, but a few kilobytes of git objects
 * can name the same large blob in a million paths (a "git bomb"): counted before checkout, such a tree is
 * refused before it fills the disk. The sizes come from the object headers; nothing is inflated here.
 */
final class BoundedCheckout {

    private BoundedCheckout() {
    }

    /**
     * Checks HEAD's tree against the limits, then checks it out into the work tree.
     *
     * @throws IntakeException (too large) naming the limit passed; nothing has been written then
     */
    static void checkout(Git git, UnzipLimits limits) throws IOException, GitAPIException {
        Repository repo = git.getRepository();
        ObjectId head = repo.resolve(Constants.HEAD);
        if (head == null) {
            return; // an empty repository: nothing to write
        }
        measure(repo, head, limits);
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(Constants.HEAD).call();
    }

    private static void measure(Repository repo, ObjectId head, UnzipLimits limits) throws IOException {
        long total = 0;
        int files = 0;
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader();
             TreeWalk tree = new TreeWalk(repo, reader)) {
            tree.addTree(walk.parseCommit(head).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    continue; // a submodule: not cloned, nothing written
                }
                files++;
                long size = reader.getObjectSize(tree.getObjectId(0), Constants.OBJ_BLOB);
                total += size;
                String path = tree.getPathString();
                if (files > limits.maxEntries()) {
                    throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the repository has more than "
                            + limits.maxEntries() + " files", path);
                }
                if (size > limits.maxEntryBytes()) {
                    throw new IntakeException(IntakeException.Kind.TOO_LARGE, "file " + path + " is larger than "
                            + limits.maxEntryBytes() + " bytes", path);
                }
                if (total > limits.maxTotalBytes()) {
                    throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the repository's files add up to more "
                            + "than " + limits.maxTotalBytes() + " bytes (at " + path + ")", path);
                }
            }
        }
    }
}
