/**
 * Packages on the worker: receiving a transfer into a temporary file, verifying it against its id,
 * unpacking it safely, keeping a bounded cache of unpacked packages, and giving each run its own copy.
 */
package io.cdnodes.agent.packages;
