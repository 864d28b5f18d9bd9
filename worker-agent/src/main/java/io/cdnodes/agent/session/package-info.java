/**
 * The agent's connection to the coordinator: opening a TCP or Unix socket, reading and writing frames,
 * and reporting what happens to an {@link io.cdnodes.agent.session.AgentListener}.
 */
package io.cdnodes.agent.session;
