/**
 * The worker agent: its configuration, its command line, its exit codes, and the {@link io.cdnodes.agent.Agent}
 * loop that connects to the coordinator, serves one link until it ends, and reconnects with capped, jittered back-off.
 * Plain Java: no Jakarta EE here.
 */
package io.cdnodes.agent;
