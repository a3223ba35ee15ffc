package io.github.taniumroutes.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * What the simulated endpoints' disks hold, for Threat Response's file evidence: the same files on every
 * endpoint of a platform, and files a test puts on one endpoint (by computer id). Real bytes: the CST traces
 * are the sample traces beside the inventory ({@code traces/host-scanner-full.cst} and
 * {@code -diff.cst}, concatenated JSON written as the seed 002 example shows: a header, then certificates,
 * RSA and PGP keys) gzipped as the scanner stores them. Windows paths are compared ignoring case.
 *
 * <ul>
 * <li>Linux and Mac: {@value #TRACE} (the full trace), {@value #DIFF_TRACE} (a diff trace), {@value #AUTH_LOG}.</li>
 * <li>Windows: {@value #WINDOWS_TRACE} (the full trace), {@value #WINDOWS_DOWNLOAD} (a small executable-looking file).</li>
 * </ul>
 * No public source names the scanner's trace paths: these are chosen, under the scanner's {@code /opt/cryptosense}.
 */
public final class EndpointFiles {

    public static final String TRACE = "/opt/cryptosense/traces/trace.cst.gz";
    public static final String DIFF_TRACE = "/opt/cryptosense/traces/trace.diff.cst.gz";
    public static final String AUTH_LOG = "/var/log/auth.log";
    public static final String WINDOWS_TRACE = "C:\\ProgramData\\Cryptosense\\traces\\trace.cst.gz";
    public static final String WINDOWS_DOWNLOAD = "C:\\Users\\Public\\Downloads\\invoice.pdf.exe";

    private final Map<String, byte[]> posix = new LinkedHashMap<>();
    private final Map<String, byte[]> windows = new LinkedHashMap<>();
    private final Map<String, Map<String, byte[]>> byClient = new ConcurrentHashMap<>();

    private EndpointFiles(byte[] fullTrace, byte[] diffTrace) {
        posix.put(TRACE, gzip(fullTrace));
        posix.put(DIFF_TRACE, gzip(diffTrace));
        posix.put(AUTH_LOG, ("Dec  7 03:14:15 db-prod-01 sshd[4242]: Accepted publickey for root from 198.51.100.23 port 51312 ssh2\n"
                + "Dec  7 03:14:16 db-prod-01 sshd[4242]: pam_unix(sshd:session): session opened for user root\n"
                + "Dec  7 03:15:02 db-prod-01 sudo: deploy : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh -c ./kworker\n")
                .getBytes(StandardCharsets.UTF_8));
        windows.put(key(WINDOWS_TRACE, true), gzip(fullTrace));
        byte[] executable = new byte[4096];
        executable[0] = 'M';
        executable[1] = 'Z';
        byte[] note = "This program cannot be run in DOS mode. (simulated dropper)".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(note, 0, executable, 78, note.length);
        windows.put(key(WINDOWS_DOWNLOAD, true), executable);
    }

    /** The files, with the sample traces from {@code traces/} beside the inventory file (else config/simulator/traces). */
    static EndpointFiles near(Path inventoryFile) {
        Path dir = inventoryFile == null || inventoryFile.getParent() == null ? Path.of("config/simulator/traces")
                : inventoryFile.getParent().resolve("traces");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("config/simulator/traces");
        }
        try {
            return new EndpointFiles(Files.readAllBytes(dir.resolve("host-scanner-full.cst")), Files.readAllBytes(dir.resolve("host-scanner-diff.cst")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator's sample CST traces in " + dir, e);
        }
    }

    /** The file at {@code path} on the endpoint with this computer id and platform, or null when there is none. */
    public byte[] read(String clientId, String platform, String path) {
        boolean onWindows = isWindows(platform);
        Map<String, byte[]> own = byClient.getOrDefault(clientId, Map.of());
        byte[] content = own.get(key(path, onWindows));
        if (content != null) {
            return content;
        }
        return (onWindows ? windows : posix).get(key(path, onWindows));
    }

    /** Puts a file on one endpoint (its computer id); a Windows path is matched ignoring case. */
    public void put(String clientId, String path, boolean onWindows, byte[] content) {
        byClient.computeIfAbsent(clientId, c -> new ConcurrentHashMap<>()).put(key(path, onWindows), content.clone());
    }

    /** Forgets the files tests put; the platforms' files stay. */
    void reset() {
        byClient.clear();
    }

    static boolean isWindows(String platform) {
        return platform != null && platform.toLowerCase(Locale.ROOT).contains("windows");
    }

    private static String key(String path, boolean onWindows) {
        return onWindows ? path.replace('/', '\\').toLowerCase(Locale.ROOT) : path;
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
