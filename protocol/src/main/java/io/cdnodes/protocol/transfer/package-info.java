/**
 * Package transfer: content addressing (SHA-256), cutting a package into BEGIN/CHUNK/END frames, and
 * reassembling and verifying it on arrival. Sizes are checked as chunks arrive, so a peer cannot make the
 * receiver write more than announced or more than its limit.
 */
package io.cdnodes.protocol.transfer;
