/**
 * The package format CDProto transfers: a zip of one project with relative paths, built deterministically
 * so that equal content has an equal SHA-256, and extracted safely on both ends (no entry may leave its
 * folder, no links, bounded count, size and compression ratio).
 */
package io.cdnodes.protocol.pkg;
