package io.github.taniumroutes.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.taniumroutes.tanium.ResultSet;

/**
 * The per-endpoint statuses in an action's result data (seed 003): each row names the endpoint
 * ({@code Computer Name}, and its computer id in {@code cid}) and its {@code Action Statuses}, texts like
 * {@code 1362231:Completed.}, {@code …:Running.}, {@code …:Waiting.}, {@code …:Failed.}, {@code …:Expired.}
 * — the action's id, a colon, the status and a full stop (read without them too).
 */
public final class ActionRows {

    /** One endpoint's status: terminal once it can change no more, succeeded for Completed or Verified. */
    public record EndpointStatus(String computerName, String computerId, String status, boolean terminal, boolean succeeded) {
    }

    private static final Pattern STATUS = Pattern.compile("^\\s*(?:(\\d+)\\s*:)?\\s*(.*?)\\.?\\s*$");
    private static final Set<String> SUCCEEDED = Set.of("completed", "verified");
    private static final Set<String> FAILED = Set.of("failed", "expired", "failed verification", "notsucceeded", "not succeeded",
            "stopped", "not applicable");

    private ActionRows() {
    }

    /** Each row's status for action {@code actionId} (rows about another action are left out). */
    public static List<EndpointStatus> of(ResultSet set, String actionId) {
        int nameColumn = set.column("Computer Name");
        int statusColumn = set.column("Action Statuses");
        if (statusColumn < 0) {
            statusColumn = 1;
        }
        List<EndpointStatus> statuses = new ArrayList<>();
        for (ResultSet.Row row : set.rows()) {
            String name = nameColumn < 0 || row.cell(nameColumn).isEmpty() ? null : row.cell(nameColumn).get(0);
            for (String text : row.cell(statusColumn)) {
                Matcher matcher = STATUS.matcher(text);
                if (!matcher.matches() || matcher.group(2).isEmpty()) {
                    continue;
                }
                if (matcher.group(1) != null && actionId != null && !matcher.group(1).equals(actionId)) {
                    continue;
                }
                String status = matcher.group(2);
                String key = status.toLowerCase(Locale.ROOT);
                boolean succeeded = SUCCEEDED.contains(key);
                statuses.add(new EndpointStatus(name, row.computerId(), status, succeeded || FAILED.contains(key), succeeded));
            }
        }
        return List.copyOf(statuses);
    }
}
