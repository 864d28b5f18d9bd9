/**
 * The CDProto message model: one record per frame type, a sealed {@link io.cdnodes.protocol.frame.Frame}
 * over them, and the closed value sets (outcomes, error codes, assignment kinds) they carry.
 * No I/O and no encoding here; see {@code io.cdnodes.protocol.codec}.
 */
package io.cdnodes.protocol.frame;
