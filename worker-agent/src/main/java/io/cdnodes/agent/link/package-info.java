/**
 * The agent's link to the coordinator: opening a TCP or Unix socket (TLS on TCP), reading and writing frames,
 * fitting the HELLO, the heartbeats and their watchdog, and reporting what happens to an
 * {@link io.cdnodes.agent.link.AgentListener}. "Link" is the one word the agent uses for this connection; a
 * "session" is always a serving pytest (see {@code io.cdnodes.agent.run}).
 */
package io.cdnodes.agent.link;
