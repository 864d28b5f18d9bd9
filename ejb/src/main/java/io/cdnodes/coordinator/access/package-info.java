/**
 * Who may use the HTTP API and what each caller may see: API keys (stored only as salted hashes, shown once),
 * the admin key (from {@code CDNODES_ADMIN_KEY} or made on first start into the data folder), and the rule that
 * a key sees only the evaluations it submitted ({@link io.cdnodes.coordinator.access.Ownership}). The web module
 * authenticates requests with these; nothing here knows HTTP.
 */
package io.cdnodes.coordinator.access;
