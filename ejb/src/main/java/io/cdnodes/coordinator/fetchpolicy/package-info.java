/**
 * Where repositories may be fetched from, decided before any connection is made: hosts the admin lists, or
 * hosts every address of which is public ({@link io.cdnodes.coordinator.fetchpolicy.AddressRanges}),
 * and {@code file://} repositories inside the admin's folders only. Plain classes, no container.
 */
package io.cdnodes.coordinator.fetchpolicy;
