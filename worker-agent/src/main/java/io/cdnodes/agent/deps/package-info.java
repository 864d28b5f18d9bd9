/**
 * A project's declared test dependencies, installed on request (the ASSIGN directive {@code install_deps}) into
 * a virtual environment that the worker keeps, keyed by the SHA-256 of what was declared.
 */
package io.cdnodes.agent.deps;
