/**
 * The coordinator's configuration: environment variables read through MicroProfile Config, each with a
 * default, validated once into a {@link io.cdnodes.coordinator.config.CoordinatorSettings} record.
 */
package io.cdnodes.coordinator.config;
