/** {@code /stats}, {@code /network} and {@code /network/nodes}. */
package io.cdnodes.web.stats;
