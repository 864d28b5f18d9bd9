/**
 * The harness of the end-to-end tests: the real coordinator (Payara Micro with the rar and war) and real
 * worker-agent processes, an HTTP client for the API, a Python that has pytest, and the oracle that runs
 * plain pytest on a project to compute the expected outcomes.
 */
package io.cdnodes.e2e.support;
