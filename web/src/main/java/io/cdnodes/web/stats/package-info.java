/** {@code /stats} and {@code /network}. */
package io.cdnodes.web.stats;
