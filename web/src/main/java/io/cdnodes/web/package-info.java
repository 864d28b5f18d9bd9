/**
 * The HTTP API's entry point: the JAX-RS application. Resources live in the feature packages below; they
 * unwrap requests, call the coordinator's beans and map results, nothing more.
 */
package io.cdnodes.web;
