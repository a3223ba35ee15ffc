package io.github.taniumroutes.directconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.directconnect.ProcessGuard.Kind;
import io.github.taniumroutes.directconnect.ProcessGuard.KillTarget;
import io.github.taniumroutes.directconnect.ProcessGuard.Verdict;

/** The pid-reuse guard: pid, name, command line and hash, each given or not, matching or not. */
class ProcessGuardTest {

    private static final String EVIL_COMMAND = "C:\\Users\\jdoe\\AppData\\Local\\Temp\\evil.exe --beacon 203.0.113.77";

    private static Map<String, Object> process(long pid, String name, String commandLine) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("pid", pid);
        process.put("ppid", 1);
        process.put("name", name);
        process.put("commandLine", commandLine);
        process.put("userName", "jdoe");
        return process;
    }

    private static final List<Map<String, Object>> LIST = List.of(process(4, "System", ""), process(4242, "evil.exe", EVIL_COMMAND),
            process(7412, "rundll32.exe", "rundll32.exe invoice.dll,DllRegisterServer"));

    @Test
    void thePidStillRunningTheAlertsProcessMayBeKilled() {
        Verdict verdict = ProcessGuard.check(new KillTarget("evil.exe", 4242, null, null), LIST, true);
        assertThat(verdict.kind()).isEqualTo(Kind.MATCH);
        assertThat(verdict.matches()).isTrue();
        assertThat(verdict.process()).containsEntry("pid", 4242L).containsEntry("commandLine", EVIL_COMMAND);
        assertThat(verdict.checked()).containsExactly(Map.entry("pid", "matched"), Map.entry("name", "matched"),
                Map.entry("commandLine", "not given"), Map.entry("hash", "not given"));
        assertThat(verdict.reason()).isNull();
    }

    @Test
    void aReusedPidThatRunsAnotherNameIsAMismatch() {
        Verdict verdict = ProcessGuard.check(new KillTarget("evil.exe", 7412, null, null), LIST, true);
        assertThat(verdict.kind()).isEqualTo(Kind.MISMATCH);
        assertThat(verdict.reason()).isEqualTo("pid 7412 now runs 'rundll32.exe', not the alert's 'evil.exe' (the pid was reused); "
                + "nothing was killed");
        assertThat(verdict.process()).containsEntry("name", "rundll32.exe");
        assertThat(verdict.checked()).containsEntry("name", "differs");
    }

    @Test
    void aPidNothingRunsUnderIsNotFound() {
        Verdict verdict = ProcessGuard.check(new KillTarget("evil.exe", 31337, null, null), LIST, true);
        assertThat(verdict.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(verdict.process()).isNull();
        assertThat(verdict.reason()).startsWith("no process runs under pid 31337");
    }

    @Test
    void namesIgnoreCaseOnWindowsOnlyAndAFullPathIsItsImageName() {
        assertThat(ProcessGuard.check(new KillTarget("EVIL.EXE", 4242, null, null), LIST, true).kind()).isEqualTo(Kind.MATCH);
        assertThat(ProcessGuard.check(new KillTarget("EVIL.EXE", 4242, null, null), LIST, false).kind()).isEqualTo(Kind.MISMATCH);
        assertThat(ProcessGuard.check(new KillTarget("C:\\Users\\jdoe\\AppData\\Local\\Temp\\evil.exe", 4242, null, null), LIST, true).kind())
                .isEqualTo(Kind.MATCH);
        assertThat(ProcessGuard.check(new KillTarget("/tmp/.x/evil.exe", 4242, null, null), LIST, false).kind()).isEqualTo(Kind.MATCH);
    }

    @Test
    void aCommandLineTheAlertGivesMustBeTheOneRunning() {
        Verdict same = ProcessGuard.check(new KillTarget("evil.exe", 4242, "  " + EVIL_COMMAND + " ", null), LIST, true);
        assertThat(same.kind()).isEqualTo(Kind.MATCH);
        assertThat(same.checked()).containsEntry("commandLine", "matched");

        Verdict other = ProcessGuard.check(new KillTarget("evil.exe", 4242, "evil.exe --update", null), LIST, true);
        assertThat(other.kind()).isEqualTo(Kind.MISMATCH);
        assertThat(other.checked()).containsEntry("commandLine", "differs");
        assertThat(other.reason()).contains("another command line");

        Verdict unreported = ProcessGuard.check(new KillTarget("evil.exe", 4242, EVIL_COMMAND, null),
                List.of(process(4242, "evil.exe", null)), true);
        assertThat(unreported.kind()).as("a command line that cannot be compared refuses the kill").isEqualTo(Kind.MISMATCH);
        assertThat(unreported.checked()).containsEntry("commandLine", "not reported");
    }

    @Test
    void aHashIsComparedWhenTheListReportsOneAndSaidUncheckedWhenItDoesNot() {
        String hash = "9ba39dd15eff718ff357db346d0fda3a12c9dbb216511cbb41050fb0d6b3d9c9";
        Verdict unreported = ProcessGuard.check(new KillTarget("evil.exe", 4242, null, hash), LIST, true);
        assertThat(unreported.kind()).as("Tanium's Direct Connect list has no hash (seed 004)").isEqualTo(Kind.MATCH);
        assertThat(unreported.checked()).containsEntry("hash", "not reported");

        Map<String, Object> hashed = process(4242, "evil.exe", EVIL_COMMAND);
        hashed.put("hash", hash.toUpperCase());
        assertThat(ProcessGuard.check(new KillTarget("evil.exe", 4242, null, hash), List.of(hashed), true).checked())
                .containsEntry("hash", "matched");
        hashed.put("hash", "00" + hash.substring(2));
        Verdict differs = ProcessGuard.check(new KillTarget("evil.exe", 4242, EVIL_COMMAND, hash), List.of(hashed), true);
        assertThat(differs.kind()).isEqualTo(Kind.MISMATCH);
        assertThat(differs.checked()).containsEntry("commandLine", "matched").containsEntry("hash", "differs");
    }

    @Test
    void aPidTheListWritesAsTextStillMatches() {
        Map<String, Object> textual = process(0, "evil.exe", EVIL_COMMAND);
        textual.put("pid", "4242");
        assertThat(ProcessGuard.check(new KillTarget("evil.exe", 4242, null, null), List.of(textual), true).kind()).isEqualTo(Kind.MATCH);
    }

    @Test
    void theKillTargetComesFromTheRenderedParameters() {
        assertThat(KillTarget.of(Map.of("name", "evil.exe", "pid", "4242", "commandLine", "x")))
                .isEqualTo(new KillTarget("evil.exe", 4242, "x", null));
        assertThatThrownBy(() -> KillTarget.of(Map.of("name", "evil.exe"))).isInstanceOf(IllegalArgumentException.class);
    }
}
