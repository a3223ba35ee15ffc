package io.github.taniumroutes.evidence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the evidence a file task left in Threat Response's evidence list ({@code GET /filedownload},
 * read page by page with {@code limit} and {@code offset}; the list holds every analyst's evidence, in no
 * order this relies on). The evidence is the newest entry for the endpoint's host name and the collected
 * path that is not older than the task: recorded lists give {@code uuid}, {@code hostname}, {@code path},
 * {@code size}, {@code hash} and {@code downloaded} ({@code "2020-01-15 13:04:02.827"}, read as UTC), some
 * with a Windows path's backslashes doubled; the contract also names {@code connectionId} and
 * {@code createdAt}, which are used when present. Nothing older than the task is taken: it may be an
 * analyst's, and it is deleted once downloaded.
 */
public final class EvidenceSearch {

    /** One entry of the list. */
    public record Evidence(String uuid, String path, String hostname, Long size, String hash, Instant listedAt) {
    }

    /** Tanium's clock and ours may disagree a little; an entry this much older than the task is still its. */
    static final long SLACK_MILLIS = 2_000;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][.SS][.S]", Locale.ROOT);

    private final String hostname;
    private final String path;
    private final boolean windows;
    private final String connectionId;
    private final Instant since;
    private final int pageSize;
    private final int maxPages;
    private int pages;
    private int offset;
    private boolean morePages = true;
    private int listed;
    private Evidence found;

    /**
     * @param hostname     the endpoint's host name (null: any)
     * @param path         the path as it was asked for (normalised)
     * @param windows      whether the endpoint runs Windows (paths compared ignoring case and doubled backslashes)
     * @param connectionId our live connection's id, compared when the list names one
     * @param since        when the task started (Tanium's clock), or when it was asked for
     */
    public EvidenceSearch(String hostname, String path, boolean windows, String connectionId, Instant since, int pageSize, int maxPages) {
        this.hostname = hostname;
        this.path = path;
        this.windows = windows;
        this.connectionId = connectionId;
        this.since = since;
        this.pageSize = pageSize;
        this.maxPages = maxPages;
    }

    public int getLimit() {
        return pageSize;
    }

    public int getOffset() {
        return offset;
    }

    /** Whether another page is to be read: the last was full, the total not reached, the page budget not spent. */
    public boolean isMorePages() {
        return morePages;
    }

    public int getPages() {
        return pages;
    }

    public int getListed() {
        return listed;
    }

    /** The evidence found so far, or null. */
    public Evidence found() {
        return found;
    }

    /** Reads one page of the list: {@code {"fileEvidence":[…],"totalCount"}} (or wrapped in {@code data}). */
    public void read(JsonNode reply) {
        JsonNode root = reply.has("data") && !reply.path("data").isArray() ? reply.path("data") : reply;
        JsonNode list = root.isArray() ? root : root.has("fileEvidence") ? root.path("fileEvidence") : root.path("data");
        if (!list.isArray()) {
            throw new IllegalStateException("Threat Response's evidence list holds no fileEvidence array");
        }
        for (JsonNode entry : list) {
            Evidence evidence = matching(entry);
            if (evidence != null && (found == null || !evidence.listedAt().isBefore(found.listedAt()))) {
                found = evidence;
            }
        }
        pages++;
        offset += list.size();
        listed += list.size();
        JsonNode total = root.path("totalCount");
        morePages = list.size() >= pageSize && pages < maxPages && (!total.canConvertToLong() || offset < total.asLong());
    }

    private Evidence matching(JsonNode entry) {
        String uuid = text(entry.path("uuid"));
        if (uuid == null) {
            return null;
        }
        String listedConnection = text(entry.path("connectionId"));
        if (listedConnection != null && connectionId != null && !listedConnection.equals(connectionId)) {
            return null;
        }
        String listedHost = text(entry.path("hostname"));
        if (hostname != null && listedHost != null && !sameHost(hostname, listedHost)) {
            return null;
        }
        String listedPath = text(entry.path("path"));
        if (listedPath == null || !samePath(listedPath)) {
            return null;
        }
        Instant at = time(entry.has("createdAt") ? entry.path("createdAt") : entry.path("downloaded"));
        if (at == null || since != null && at.isBefore(since.minusMillis(SLACK_MILLIS))) {
            return null;
        }
        JsonNode size = entry.path("size");
        return new Evidence(uuid, listedPath, listedHost, size.canConvertToLong() ? size.asLong() : null, text(entry.path("hash")), at);
    }

    private boolean samePath(String listed) {
        if (!windows) {
            return listed.equals(path);
        }
        return listed.replaceAll("\\\\{2,}", "\\\\").replace('/', '\\').equalsIgnoreCase(path);
    }

    /** Host names compare ignoring case, and a short name matches its fully qualified form. */
    static boolean sameHost(String ours, String listed) {
        String a = ours.toLowerCase(Locale.ROOT);
        String b = listed.toLowerCase(Locale.ROOT);
        return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
    }

    /** An ISO-8601 instant, epoch milliseconds, or Tanium's {@code "2020-01-15 13:04:02.827"} read as UTC; null if none. */
    static Instant time(JsonNode node) {
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notIso) {
            try {
                return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notTanium) {
                try {
                    return Instant.ofEpochMilli(Long.parseLong(text));
                } catch (NumberFormatException unreadable) {
                    return null;
                }
            }
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
