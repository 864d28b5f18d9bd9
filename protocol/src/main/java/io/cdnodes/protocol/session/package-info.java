/**
 * The rules of a CDProto conversation, apart from any socket: which frame may come when and from whom,
 * the handshake and its authentication, and the handshake, idle and stalled-frame deadlines. The connector
 * and the worker agent drive these state machines; tests drive them over in-memory pipes.
 */
package io.cdnodes.protocol.session;
