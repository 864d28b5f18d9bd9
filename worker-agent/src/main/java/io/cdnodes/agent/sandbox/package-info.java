/**
 * The sandbox every process started from a submitted project runs in: pytest (collection, runs, serving sessions,
 * the interpreters started ahead for warm starts), the dependency scanner and dependency installs. A
 * {@link io.cdnodes.agent.sandbox.SandboxSpec} says what one process may see and write; {@link
 * io.cdnodes.agent.sandbox.Bubblewrap} turns a command and a spec into a bubblewrap ({@code bwrap}) command line;
 * {@link io.cdnodes.agent.sandbox.Sandbox} is the worker's choice (sandboxed, or not and why) and wraps process
 * builders accordingly; {@link io.cdnodes.agent.sandbox.SandboxProbe} makes that choice at start with a real
 * sandboxed command.
 */
package io.cdnodes.agent.sandbox;
