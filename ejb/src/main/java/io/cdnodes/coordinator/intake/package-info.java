/**
 * Intake: turning what a user submits (a zip upload, or a repository fetched by
 * {@code io.cdnodes.coordinator.repositories}) into projects, each packed deterministically and
 * stored by its SHA-256 in the {@link io.cdnodes.coordinator.intake.PackageStore}. Everything refused here
 * is an {@link io.cdnodes.coordinator.intake.IntakeException} that says what was wrong.
 */
package io.cdnodes.coordinator.intake;
