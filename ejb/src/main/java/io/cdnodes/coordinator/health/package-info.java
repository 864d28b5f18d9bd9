/**
 * What operators watch: MicroProfile Health checks (ready when the database answers and the CDProto
 * listeners are up) and MicroProfile Metrics (connected workers, results recorded, evaluations finished),
 * served by Payara at {@code /health} and {@code /metrics}.
 */
package io.cdnodes.coordinator.health;
