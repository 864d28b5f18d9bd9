/**
 * Container tests: Arquillian boots Payara Micro with the real resource adapter and the real war, and the
 * tests run inside it, talking CDProto to the adapter from a worker played by the test.
 */
package io.cdnodes.web.container;
