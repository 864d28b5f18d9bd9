/**
 * The database's schema: versioned SQL under {@code db/migration} applied by Flyway when the application starts
 * ({@link io.cdnodes.coordinator.schema.SchemaMigrations}, before any other start-up bean touches the database),
 * instead of Hibernate's {@code hbm2ddl}. {@link io.cdnodes.coordinator.schema.Migrations} is the plain part.
 */
package io.cdnodes.coordinator.schema;
