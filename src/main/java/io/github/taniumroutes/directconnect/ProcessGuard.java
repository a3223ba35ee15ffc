package io.github.taniumroutes.directconnect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pid-reuse guard: whether the process the alert named still runs under its pid, read from the
 * endpoint's process list right before the kill. A pid is reused once its process has ended, so the pid
 * alone proves nothing: the process under it must still have the alert's name (the image name; Windows
 * ignores case), and its command line and hash when the alert gives them. Tanium's Direct Connect process
 * list (seed 004) reports a command line but no hash: a hash the alert gives is checked only when the list
 * reports one, and the verdict says whether it was.
 */
public final class ProcessGuard {

    /** What the kill is meant for, from the step's {@code kill} parameters (rendered from the alert at intake). */
    public record KillTarget(String name, long pid, String commandLine, String hash) {

        /** From the rendered {@code kill} parameter: {@code {name, pid, commandLine?, hash?}}. */
        public static KillTarget of(Map<?, ?> kill) {
            Object name = kill.get("name");
            Object pid = kill.get("pid");
            if (name == null || pid == null) {
                throw new IllegalArgumentException("the kill names no process (name and pid)");
            }
            Object commandLine = kill.get("commandLine");
            Object hash = kill.get("hash");
            return new KillTarget(String.valueOf(name), Long.parseLong(String.valueOf(pid)), commandLine == null ? null : String.valueOf(commandLine),
                    hash == null ? null : String.valueOf(hash));
        }
    }

    public enum Kind {
        /** The pid still runs the alert's process: it may be killed. */
        MATCH,
        /** The pid runs something else now: nothing is killed. */
        MISMATCH,
        /** No process runs under the pid: nothing is killed. */
        NOT_FOUND
    }

    /**
     * The guard's answer: the process found under the pid (null when none), why it is not the alert's, and
     * what was compared ({@code pid}, {@code name}, {@code commandLine}, {@code hash}: {@code matched},
     * {@code differs}, {@code not given} by the alert, or {@code not reported} by Tanium).
     */
    public record Verdict(Kind kind, Map<String, Object> process, String reason, Map<String, String> checked) {
        public boolean matches() {
            return kind == Kind.MATCH;
        }
    }

    private ProcessGuard() {
    }

    /** Checks {@code target} against the endpoint's processes ({@code processes.all} records); {@code windows}: names ignore case. */
    public static Verdict check(KillTarget target, List<Map<String, Object>> processes, boolean windows) {
        Map<String, String> checked = new LinkedHashMap<>();
        Map<String, Object> found = processes.stream().filter(p -> samePid(p.get("pid"), target.pid())).findFirst().orElse(null);
        if (found == null) {
            checked.put("pid", "not running");
            return new Verdict(Kind.NOT_FOUND, null, "no process runs under pid " + target.pid() + " on the endpoint (it ended); nothing was killed",
                    checked);
        }
        checked.put("pid", "matched");
        String name = text(found.get("name"));
        String expected = baseName(target.name());
        boolean sameName = name != null && (windows ? name.equalsIgnoreCase(expected) : name.equals(expected));
        checked.put("name", sameName ? "matched" : "differs");
        if (!sameName) {
            return mismatch(found, "pid " + target.pid() + " now runs '" + name + "', not the alert's '" + expected
                    + "' (the pid was reused); nothing was killed", checked);
        }
        if (target.commandLine() == null) {
            checked.put("commandLine", "not given");
        } else {
            String commandLine = text(found.get("commandLine"));
            if (commandLine == null) {
                checked.put("commandLine", "not reported");
                return mismatch(found, "the alert gives the process's command line and Tanium reports none for pid " + target.pid()
                        + ", so it cannot be told apart from a reused pid; nothing was killed", checked);
            }
            boolean same = commandLine.strip().equals(target.commandLine().strip());
            checked.put("commandLine", same ? "matched" : "differs");
            if (!same) {
                return mismatch(found, "pid " + target.pid() + " runs '" + name + "' with another command line than the alert's (the pid was "
                        + "reused); nothing was killed", checked);
            }
        }
        if (target.hash() == null) {
            checked.put("hash", "not given");
        } else {
            String hash = text(found.get("hash"));
            if (hash == null) {
                checked.put("hash", "not reported");
            } else {
                boolean same = hash.strip().equalsIgnoreCase(target.hash().strip());
                checked.put("hash", same ? "matched" : "differs");
                if (!same) {
                    return mismatch(found, "pid " + target.pid() + " runs '" + name + "' with another hash than the alert's (the pid was "
                            + "reused); nothing was killed", checked);
                }
            }
        }
        return new Verdict(Kind.MATCH, found, null, checked);
    }

    private static Verdict mismatch(Map<String, Object> found, String reason, Map<String, String> checked) {
        return new Verdict(Kind.MISMATCH, found, reason, checked);
    }

    private static boolean samePid(Object pid, long expected) {
        if (pid == null) {
            return false;
        }
        try {
            return Long.parseLong(String.valueOf(pid).strip()) == expected;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Alerts may give a full image path; Tanium's list names the image. */
    static String baseName(String name) {
        int cut = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'));
        return cut < 0 ? name : name.substring(cut + 1);
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    static boolean isWindows(String platform) {
        return platform != null && platform.toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
