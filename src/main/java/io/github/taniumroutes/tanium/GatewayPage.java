package io.github.taniumroutes.tanium;

import java.util.List;

/**
 * One page of a Gateway {@code endpoints} connection: its nodes, and where the next page starts
 * ({@code pageInfo.endCursor}) when {@code pageInfo.hasNextPage} says there is one.
 */
record GatewayPage<N>(List<N> nodes, boolean hasNextPage, String endCursor) {
}
