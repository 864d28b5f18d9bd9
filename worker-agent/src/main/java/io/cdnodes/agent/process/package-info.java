/**
 * Child processes of the agent: output drained on its own thread and kept only up to a bound, a time limit,
 * cancellation, and killing a process together with everything it started.
 */
package io.cdnodes.agent.process;
