/**
 * Authentication of the HTTP API with Jakarta Security: {@link io.cdnodes.web.access.ApiKeyMechanism} reads
 * {@code Authorization: Bearer <key>} on every request, {@link io.cdnodes.web.access.ApiKeyIdentityStore} checks
 * the key against the coordinator's keys and gives the caller the role {@code admin} or {@code user}; web.xml
 * requires one of them on every path of the war. {@code /api-keys} is where the admin key manages keys.
 */
package io.cdnodes.web.access;
