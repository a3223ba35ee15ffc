package io.github.taniumroutes.alert;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

/** Small helpers shared by the formats for the process and file parts of an alert. */
final class Processes {

    private Processes() {
    }

    static ProcessInfo of(String name, Long pid, String hash) {
        return of(name, pid, hash, null);
    }

    static ProcessInfo of(String name, Long pid, String hash, String commandLine) {
        ProcessInfo process = new ProcessInfo(name, pid, hash, commandLine);
        return process.isEmpty() ? null : process;
    }

    static FileInfo file(String path, String hash) {
        FileInfo file = new FileInfo(path, hash);
        return file.isEmpty() ? null : file;
    }

    /** Sources give full image paths (Windows or POSIX); Tanium's sensors report the image name. */
    static String baseName(String path) {
        if (path == null) {
            return null;
        }
        int cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        return cut < 0 ? path : path.substring(cut + 1);
    }

    /**
     * Sysmon-style hash lists ({@code SHA256=…,MD5=…}) yield the strongest file hash; a plain hash passes
     * through. Other algorithms (IMPHASH is a hash of the import table, not of the file) never count.
     */
    static String preferredHash(String hashes) {
        if (hashes == null || !hashes.contains("=")) {
            return hashes;
        }
        String best = null;
        int bestRank = -1;
        for (String part : hashes.split(",")) {
            String[] pair = part.split("=", 2);
            if (pair.length == 2) {
                int rank = switch (pair[0].strip().toUpperCase()) {
                    case "SHA256" -> 3;
                    case "SHA1" -> 2;
                    case "MD5" -> 1;
                    default -> 0;
                };
                if (rank > 0 && rank > bestRank) {
                    best = pair[1].strip();
                    bestRank = rank;
                }
            }
        }
        return best;
    }
}
