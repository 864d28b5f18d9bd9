/**
 * Who may use the HTTP API: API keys (stored only as salted hashes, shown once) and the admin key (from
 * {@code CDNODES_ADMIN_KEY} or made on first start into the data folder). The web module authenticates requests
 * with these; nothing here knows HTTP.
 */
package io.cdnodes.coordinator.access;
