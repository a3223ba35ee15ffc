package io.github.taniumroutes.tanium;

/**
 * Where a paged {@code endpoints} field goes on: the cursor to ask after, and whether there is more.
 * A server that says there is a next page but gives no new cursor would be asked forever: that is a
 * failure of the request, as is a paging that does not end within {@link #MAX_PAGES} pages.
 */
final class PageCursor {

    static final int MAX_PAGES = 50;

    private String after;
    private boolean more = true;
    private int pages;

    String after() {
        return after;
    }

    boolean more() {
        return more;
    }

    int pages() {
        return pages;
    }

    void next(boolean hasNextPage, String endCursor) {
        pages++;
        if (!hasNextPage) {
            more = false;
            return;
        }
        if (endCursor == null || endCursor.isEmpty() || endCursor.equals(after)) {
            throw new TaniumException("the Gateway said more endpoints follow but gave no new cursor to ask for them");
        }
        if (pages >= MAX_PAGES) {
            throw new TaniumException("the Gateway was still paging after " + MAX_PAGES + " pages");
        }
        after = endCursor;
    }
}
